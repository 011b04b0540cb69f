// Package storyfile reads stories from Markdown files with YAML front matter,
// checks them against the newsroom and stores them: `herald story add`,
// `herald story import` and the demo newsroom use it.
package storyfile

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"go.yaml.in/yaml/v3"
)

// MaxFileBytes caps one story file.
const MaxFileBytes = 1 << 20

// maxHeadline matches what the story store accepts.
const maxHeadline = 200

// frontMatter is the field name of problems with the front matter as a whole.
const frontMatter = "front matter"

// Draft is a story file as written, before it is checked against the newsroom.
type Draft struct {
	File        string // the name given to Parse
	Headline    string
	Slug        string // as given, else made from the headline
	Kind        herald.StoryKind
	Status      herald.StoryStatus // draft, published, or scheduled for a future published time
	Section     string
	City        string
	Topics      []string // names or slugs as written
	Authors     []string
	Related     []string // slugs
	Summary     string
	Photo       *PhotoDraft
	Gallery     []*PhotoDraft
	PublishedAt time.Time // zero for drafts; now when a published story gives none
	UpdatedAt   time.Time
	Corrections []*CorrectionDraft
	Body        string         // the Markdown after the front matter
	Lines       map[string]int // the file line of each front matter key given

	items map[string][]int // the file line of each item of the list keys
}

// PhotoDraft is a photo as written in a story file.
type PhotoDraft struct {
	File, URL, Alt, Caption, Credit string
	Line                            int // where the photo starts
	FileLine                        int // where its file key is
}

// CorrectionDraft is a correction as written in a story file.
type CorrectionDraft struct {
	Date time.Time // zero when not given: the time it is stored
	Text string
	Line int
}

// Line is the file line of key, or 1 (the front matter start) when absent.
func (d *Draft) Line(key string) int {
	if n := d.Lines[key]; n > 0 {
		return n
	}
	return 1
}

// itemLine is the file line of the i-th item of a list key.
func (d *Draft) itemLine(key string, i int) int {
	if lines := d.items[key]; i < len(lines) {
		return lines[i]
	}
	return d.Line(key)
}

// FileError names the file, line and field of a problem in a story file.
type FileError struct {
	File    string
	Line    int // 1-based; 0 when the problem is with the file as a whole
	Field   string
	Message string
}

// Error formats the problem as "file:line: field: message".
func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Parse reads a story file. name is used in messages. Errors are *FileError.
func Parse(name string, data []byte, now time.Time) (*Draft, error) {
	p := &parser{d: &Draft{File: name, Lines: map[string]int{}, items: map[string][]int{}}, now: now.UTC()}
	if fe := p.parse(data); fe != nil {
		return nil, fe
	}
	return p.d, nil
}

// parser turns one file into a Draft, stopping at the first problem.
type parser struct {
	d   *Draft
	now time.Time
}

func (p *parser) errf(line int, field, format string, args ...any) *FileError {
	return &FileError{File: p.d.File, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
}

func (p *parser) parse(data []byte) *FileError {
	if len(data) > MaxFileBytes {
		return p.errf(0, "", "the file is larger than %d MB; a story file must be smaller", MaxFileBytes>>20)
	}
	head, body, fe := p.split(string(data))
	if fe != nil {
		return fe
	}
	p.d.Body = strings.TrimSpace(body)
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(head), &doc); err != nil {
		return p.yamlError(err)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	if len(doc.Content) > 0 {
		root = deref(doc.Content[0])
	}
	if root.Kind != yaml.MappingNode {
		return p.errf(line(root), frontMatter, "write the front matter as \"key: value\" lines")
	}
	fields, fe := p.fields(root, "", keys, p.d.Lines)
	if fe != nil {
		return fe
	}
	return p.fill(fields)
}

// split separates the front matter from the body.
func (p *parser) split(text string) (head, body string, fe *FileError) {
	text = strings.ReplaceAll(strings.TrimPrefix(text, "\ufeff"), "\r\n", "\n")
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return "", "", p.errf(1, frontMatter, "the file must start with a --- line, then the front matter, then another --- line")
	}
	for off := 0; ; {
		ln, after, found := strings.Cut(rest[off:], "\n")
		if strings.TrimRight(ln, " \t") == "---" {
			return rest[:off], after, nil
		}
		if !found {
			return "", "", p.errf(1, frontMatter, "no closing --- line after the front matter")
		}
		off += len(ln) + 1
	}
}

// zeroBasedProblems are yaml's parser errors, whose line it counts from 0
// (its scanner errors count from 1).
var zeroBasedProblems = []string{"did not find expected key", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected <document start>", "found undefined tag handle", "found incompatible YAML document"}

// yamlError reports a YAML syntax error at yaml's own line.
func (p *parser) yamlError(err error) *FileError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	at := 1
	var n int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &n); scanErr == nil {
		_, msg, _ = strings.Cut(msg, ": ")
		at = n + 1 // the front matter starts on the file's second line
		if slices.Contains(zeroBasedProblems, msg) {
			at++
		}
	}
	return p.errf(at, frontMatter, "not valid YAML (check the indentation and the colons): %s", msg)
}

// fields checks that n is a mapping of allowed keys, each given once, and
// records the line of each in lines.
func (p *parser) fields(n *yaml.Node, prefix string, allowed []string, lines map[string]int) (map[string]*yaml.Node, *FileError) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(line(n), strings.TrimSuffix(prefix, "."), "expected \"key: value\" lines (%s)", strings.Join(allowed, ", "))
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if near := nearest(k.Value, allowed); near != "" {
				hint = "did you mean " + near + "? "
			}
			return nil, p.errf(line(k), prefix+k.Value, "unknown key; %sthe keys are %s", hint, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, p.errf(line(k), prefix+k.Value, "given twice (first on line %d)", lines[k.Value])
		}
		out[k.Value] = deref(v)
		lines[k.Value] = line(k)
	}
	return out, nil
}

// str reads a text value; a YAML null is "".
func (p *parser) str(n *yaml.Node, field string) (string, *FileError) {
	if n == nil {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(line(n), field, "expected plain text, not a list or keys")
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return strings.TrimSpace(n.Value), nil
}

// list reads a list of texts, or one text as a list of one, with the line
// of each item.
func (p *parser) list(n *yaml.Node, field string) ([]string, []int, *FileError) {
	if n == nil {
		return nil, nil, nil
	}
	if n.Kind == yaml.ScalarNode {
		s, fe := p.str(n, field)
		if s == "" || fe != nil {
			return nil, nil, fe
		}
		return []string{s}, []int{line(n)}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, nil, p.errf(line(n), field, "expected a list, like [one, two]")
	}
	var vals []string
	var lines []int
	for _, item := range n.Content {
		s, fe := p.str(deref(item), field)
		if fe != nil {
			return nil, nil, fe
		}
		if s == "" {
			return nil, nil, p.errf(line(item), field, "an item of the list is empty")
		}
		if !slices.Contains(vals, s) {
			vals, lines = append(vals, s), append(lines, line(item))
		}
	}
	return vals, lines, nil
}

// line is the file line of a front matter node.
func line(n *yaml.Node) int {
	if n.Line == 0 {
		return 1
	}
	return n.Line + 1
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
