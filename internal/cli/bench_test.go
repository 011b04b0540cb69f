package cli

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/herald-news/herald/internal/bench"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// `herald bench --quick --json` runs every part of the bench (its phases
// run in children: this test binary, through TestMain) and reports sane
// numbers. Timings are not held to their targets here: CI machines vary.
func TestBenchQuickRunsEveryPart(t *testing.T) {
	if testing.Short() {
		t.Skip("the quick bench takes about half a minute")
	}
	args := []string{"bench", "--quick", "--json"}
	if server := os.Getenv(sqldbtest.PostgresEnv); server != "" {
		args = append(args, "--database-url", server)
	}
	code, stdout, stderr := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var rep bench.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout)
	}
	if rep.Version != bench.FormatVersion || !rep.Quick || rep.Runs != 1 || rep.MessageBytes < 8<<10 {
		t.Errorf("report header: version %q, quick %v, runs %d, message %d bytes", rep.Version, rep.Quick, rep.Runs, rep.MessageBytes)
	}
	groups := map[string]int{}
	for _, f := range rep.Figures {
		groups[f.Group]++
		if len(f.Runs) != 1 || !(f.Value > 0) {
			t.Errorf("%s: %v %s over runs %v; want one positive run", f.Name, f.Value, f.Unit, f.Runs)
		}
		if (f.Unit == "msgs/s" || f.Unit == "req/s") && f.BaselineName != "" && !(f.Ratio > 0 && f.Ratio < 10) {
			t.Errorf("%s: ratio %v to %s; want within (0, 10)", f.Name, f.Ratio, f.BaselineName)
		}
		if f.Unit == "MB" && f.Value > 4096 {
			t.Errorf("%s: %v MB is not a resident set", f.Name, f.Value)
		}
		if f.Unit == "stored/accepted" && f.Value != 1 {
			t.Errorf("%s: %v; every accepted signup must be stored", f.Name, f.Value)
		}
		if f.Target != "" && f.Pass == nil {
			t.Errorf("%s: target %q was not judged", f.Name, f.Target)
		}
	}
	for _, g := range []string{"send", "scale", "import", "pages", "signup"} {
		if groups[g] == 0 {
			t.Errorf("no %s figures", g)
		}
	}
	if rep.Passed+rep.Failed != 11 {
		t.Errorf("%d targets judged, want 11", rep.Passed+rep.Failed)
	}
}
