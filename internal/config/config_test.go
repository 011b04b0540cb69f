package config_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/config"
)

func resolve(t *testing.T, args []string, env map[string]string) (*config.Config, error) {
	t.Helper()
	var c config.Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &c, c.Resolve(fs, func(k string) string { return env[k] })
}

func TestFlagsBeatEnvironmentBeatDefaults(t *testing.T) {
	c, err := resolve(t, []string{"-addr", "127.0.0.1:9000"},
		map[string]string{"HERALD_ADDR": "127.0.0.1:7000", "HERALD_DATA_DIR": "/tmp/h", "HERALD_PAGE_SIZE": "30"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DataDir != "/tmp/h" || c.PageSize != 30 || c.LogLevel != "info" {
		t.Errorf("config = %+v", c)
	}
	if c.DatabaseURL != "/tmp/h/herald.db" || c.BaseURL != "http://127.0.0.1:9000" {
		t.Errorf("derived defaults: db %q base %q", c.DatabaseURL, c.BaseURL)
	}
}

func TestValidateNamesEveryBadOption(t *testing.T) {
	_, err := resolve(t, []string{"-addr", "nope", "-time-zone", "Mars/Olympus", "-role", "chef", "-trusted-proxies", "127.0.0.1, nonsense"},
		map[string]string{"HERALD_LOG_FORMAT": "xml"})
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"addr", "time-zone", "role", "log-format", `trusted-proxies: "nonsense"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if _, err := resolve(t, nil, map[string]string{"HERALD_PAGE_SIZE": "many"}); err == nil || !strings.Contains(err.Error(), "HERALD_PAGE_SIZE") {
		t.Errorf("bad env number: %v", err)
	}
}

func TestProxies(t *testing.T) {
	cfg, err := resolve(t, []string{"-trusted-proxies", " 127.0.0.1, 10.0.0.0/8,::1 "}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.Proxies()
	if err != nil || len(got) != 3 || got[0].String() != "127.0.0.1/32" || got[1].String() != "10.0.0.0/8" || got[2].String() != "::1/128" {
		t.Errorf("Proxies = %v, %v", got, err)
	}
}

func TestMetricsOptions(t *testing.T) {
	c, err := resolve(t, nil, map[string]string{"HERALD_METRICS_ADDR": "127.0.0.1:9090", "HERALD_METRICS_TOKEN": "0123456789abcdef"})
	if err != nil || c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != "0123456789abcdef" {
		t.Fatalf("metrics options from the environment: %+v %v", c, err)
	}
	if c, err := resolve(t, nil, nil); err != nil || c.MetricsAddr != "" || c.MetricsToken != "" {
		t.Errorf("default: no ops listener, no token; got %q %q %v", c.MetricsAddr, c.MetricsToken, err)
	}
	for _, args := range [][]string{
		{"-metrics-addr", "9090"},
		{"-metrics-addr", "127.0.0.1:8080"}, // the site's address
		{"-metrics-token", "short"},
	} {
		if _, err := resolve(t, args, nil); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(args[0], "-")) {
			t.Errorf("%v: %v, want an error naming %s", args, err, args[0])
		}
	}
}
