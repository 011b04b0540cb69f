package config

import (
	"net/url"
	"regexp"
)

// passwordParam matches a password in a key=value connection string
// ("host=db password=s3cret") or a URL query (?password=s3cret).
var passwordParam = regexp.MustCompile(`(?i)(password|passwd|pass|sslpassword)=('[^']*'|[^\s&]*)`)

// Redact returns a database or SMTP URL fit for logs and output: the
// password, wherever it is written, is replaced by xxxxx
// ("postgres://herald:xxxxx@db/herald").
func Redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			dsn = u.String()
		}
	}
	dsn = passwordParam.ReplaceAllString(dsn, "${1}=xxxxx")
	return dsn
}
