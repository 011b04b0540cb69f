package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// FormatVersion is the version of the JSON report's shape.
const FormatVersion = "1.0"

// cpuUnit is the unit of CPU time per message.
const cpuUnit = "CPU s/1k msgs"

// Report is the outcome of one bench: every figure and how it stands
// against its target.
type Report struct {
	Version      string    `json:"version"`
	Started      time.Time `json:"started"`
	Seconds      float64   `json:"seconds"` // wall time of the whole bench
	Machine      Machine   `json:"machine"`
	Database     string    `json:"database"` // "sqlite" or "postgres"
	Quick        bool      `json:"quick"`
	Recipients   int       `json:"recipients"`
	Runs         int       `json:"runs"`
	MessageBytes int       `json:"message_bytes"` // one rendered reader's copy
	Figures      []Figure  `json:"figures"`
	Passed       int       `json:"passed"`
	Failed       int       `json:"failed"`
}

// Machine describes where the bench ran.
type Machine struct {
	CPUs      int    `json:"cpus"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"go_version"`
	// Load is the 1-minute load average when the bench started and when
	// it ended: other work on the machine moves every figure.
	Load [2]float64 `json:"load"`
}

// Figure is one line of the report: a measurement (the median of its
// runs), the baseline measured beside it in the same runs when there is
// one, their ratio, and the target it is held to.
type Figure struct {
	Group        string    `json:"group"` // send, scale, import, pages, signup
	Name         string    `json:"name"`
	Unit         string    `json:"unit"`
	Value        float64   `json:"value"`
	Runs         []float64 `json:"runs"`
	BaselineName string    `json:"baseline_name,omitempty"`
	Baseline     float64   `json:"baseline,omitempty"`
	BaselineRuns []float64 `json:"baseline_runs,omitempty"`
	Ratio        float64   `json:"ratio,omitempty"` // Value / Baseline
	Target       string    `json:"target,omitempty"`
	Pass         *bool     `json:"pass,omitempty"` // nil: no target

	check func(*Figure) bool
}

// figure is a measurement over runs, with no baseline or target yet.
func figure(group, name, unit string, runs []float64) Figure {
	return Figure{Group: group, Name: name, Unit: unit, Value: median(runs), Runs: runs}
}

// against adds the baseline measured in the same runs.
func (f Figure) against(name string, runs []float64) Figure {
	f.BaselineName, f.BaselineRuns, f.Baseline = name, runs, median(runs)
	if f.Baseline != 0 {
		f.Ratio = f.Value / f.Baseline
	}
	return f
}

// ratioAtLeast holds the figure's ratio to its baseline at min or above.
func (f Figure) ratioAtLeast(min float64) Figure {
	f.Target = "ratio ≥ " + strconv.FormatFloat(min, 'f', -1, 64)
	f.check = func(f *Figure) bool { return f.Ratio >= min }
	return f
}

// atMost holds the value at max or below; note says how max was derived.
func (f Figure) atMost(max float64, note string) Figure {
	f.Target = "≤ " + format(max, f.Unit) + " " + f.Unit + note
	f.check = func(f *Figure) bool { return f.Value <= max }
	return f
}

// atLeast holds the value at min or above.
func (f Figure) atLeast(min float64, note string) Figure {
	f.Target = "≥ " + format(min, f.Unit) + " " + f.Unit + note
	f.check = func(f *Figure) bool { return f.Value >= min }
	return f
}

// judge sets Pass on every figure with a target and counts the results.
func (r *Report) judge() {
	r.Passed, r.Failed = 0, 0
	for i := range r.Figures {
		f := &r.Figures[i]
		if f.check == nil {
			continue
		}
		ok := f.check(f)
		f.Pass = &ok
		if ok {
			r.Passed++
		} else {
			r.Failed++
		}
	}
}

// median is the middle of xs (the mean of the two middles for an even
// count); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes the report as an aligned table, one row per figure,
// and a summary line.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "herald bench: %d CPUs (load %.2f at the start, %.2f at the end), %s, %s; %s database; %d run(s) per figure (median shown); message %s bytes\n\n",
		r.Machine.CPUs, r.Machine.Load[0], r.Machine.Load[1], r.Machine.GoVersion, r.Machine.OS+"/"+r.Machine.Arch, r.Database, r.Runs,
		thousands(float64(r.MessageBytes)))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tmeasured\tbaseline (same run)\tratio\ttarget\tresult")
	group := ""
	for _, f := range r.Figures {
		if f.Group != group {
			group = f.Group
			fmt.Fprintf(tw, "%s\t\t\t\t\t\n", strings.ToUpper(group))
		}
		base, ratio := "", ""
		if f.BaselineName != "" {
			base = format(f.Baseline, f.Unit) + " (" + f.BaselineName + ")"
			ratio = strconv.FormatFloat(f.Ratio, 'f', 2, 64)
		}
		result := ""
		if f.Pass != nil {
			result = map[bool]string{true: "pass", false: "FAIL"}[*f.Pass]
		}
		fmt.Fprintf(tw, "  %s\t%s %s\t%s\t%s\t%s\t%s\n", f.Name, format(f.Value, f.Unit), f.Unit, base, ratio, f.Target, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d targets pass, %d fail; the bench took %s.\n", r.Passed, r.Failed,
		time.Duration(r.Seconds*float64(time.Second)).Round(time.Second))
	return err
}

// format prints v with the precision its unit deserves.
func format(v float64, unit string) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case unit == "s" || unit == "ms":
		if v < 10 {
			return strconv.FormatFloat(v, 'f', 2, 64)
		}
		return strconv.FormatFloat(v, 'f', 1, 64)
	case unit == "MB":
		return strconv.FormatFloat(v, 'f', 1, 64)
	case unit == cpuUnit:
		return strconv.FormatFloat(v, 'f', 3, 64)
	case unit == "x" || unit == "stored/accepted":
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return thousands(v)
}

// thousands rounds v and groups its digits: 1234567 -> "1,234,567".
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
