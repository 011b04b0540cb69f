package bounce

import "testing"

func TestClassifyBlamesNoReaderForOurOwnFailures(t *testing.T) {
	tests := map[string]Kind{
		"5.1.1": Hard, "5.1.10": Hard, "5.1.2": Hard,
		"5.1.7": Policy, "5.1.8": Policy, // our sender address
		"5.7.26": Policy, "5.7.1": Policy, "4.7.28": Policy, "4.7.0": Policy,
		"5.3.4": Policy, "5.6.0": Policy,
		"5.2.2": Soft, "4.2.2": Soft, "4.4.1": Soft, "5.4.4": Soft, "5.2.1": Soft,
		"2.0.0": Unknown,
	}
	for status, want := range tests {
		c, ok := ParseCode(status)
		if !ok {
			t.Fatalf("ParseCode(%q) failed", status)
		}
		if got := Classify(c); got != want {
			t.Errorf("%s: %s, want %s", status, got, want)
		}
	}
	if got := Classify(Code{}); got != Unknown {
		t.Errorf("no code: %s", got)
	}
}

func TestParseCode(t *testing.T) {
	for in, want := range map[string]string{
		"5.1.1": "5.1.1", " 4.2.2 (mailbox full)": "4.2.2", "5.1.1;": "5.1.1",
		"550": "", "5.1": "", "6.1.1": "", "5.1.1000": "", "+5.1.1": "", "5.-1.1": "", "": "",
	} {
		c, ok := ParseCode(in)
		if got := c.String(); got != want || ok != (want != "") {
			t.Errorf("ParseCode(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestCodeInTextNeedsAReplyCodeOfTheSameClass(t *testing.T) {
	for in, want := range map[string]string{
		"smtp; 550 5.1.1 <a@b>: user unknown":           "5.1.1",
		"smtp; 452-4.2.2 The recipient's inbox is full": "4.2.2",
		"version 10.5.1.1 of the server":                "",
		"550 4.2.2 mismatched":                          "",
		"host 192.0.2.1 said: 421 4.7.0 try later":      "4.7.0",
	} {
		c, _ := CodeInText(in)
		if c.String() != want {
			t.Errorf("CodeInText(%q) = %q, want %q", in, c, want)
		}
	}
}
