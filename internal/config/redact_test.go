package config_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/config"
)

func TestRedactHidesPasswords(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://herald:s3cr%21t@db:5432/herald?sslmode=require": "postgres://herald:xxxxx@db:5432/herald?sslmode=require",
		"postgres://db/herald?user=herald&password=s3cr!t":          "postgres://db/herald?user=herald&password=xxxxx",
		"host=db user=herald password=s3cr!t dbname=herald":         "host=db user=herald password=xxxxx dbname=herald",
		"host=db password='s3cr!t twice' dbname=herald":             "host=db password=xxxxx dbname=herald",
		"smtp://mailer:s3cr!t@smtp.example:587":                     "smtp://mailer:xxxxx@smtp.example:587",
		"herald-data/herald.db":                                     "herald-data/herald.db",
		"postgres://herald@db/herald":                               "postgres://herald@db/herald",
	} {
		got := config.Redact(in)
		if got != want || strings.Contains(got, "s3cr") {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
