package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Limits on what one composer form may hold.
const (
	maxEditionItems = 20
	maxHeadlineLen  = 200 // runes
)

// readEditionForm reads the composer's fields into a copy of ed: the
// subject, preheader, opening and the items in the order the form lists
// them. It returns the first problem as an EINVALID error.
func readEditionForm(r *http.Request, ed *herald.Edition) (*herald.Edition, error) {
	if err := r.ParseForm(); err != nil {
		return nil, herald.Errorf(herald.EINVALID, "The form could not be read; please try again.")
	}
	out := *ed
	f := r.PostForm
	out.Version = int(formInt(f.Get("version"))) // the version the editor opened; none: last write wins
	out.Subject = strings.TrimSpace(f.Get("subject"))
	out.Preheader = strings.TrimSpace(f.Get("preheader"))
	out.Opening = herald.EditionItem{StoryID: formInt(f.Get("opening_story")), Headline: strings.TrimSpace(f.Get("opening_headline")),
		Body: normalizeBlurb(f.Get("opening_body")), URL: strings.TrimSpace(f.Get("opening_url"))}
	heads, bodies, urls, stories := f["item_headline"], f["item_body"], f["item_url"], f["item_story"]
	if len(bodies) != len(heads) || len(urls) != len(heads) || len(stories) != len(heads) {
		return nil, herald.Errorf(herald.EINVALID, "The form's items are incomplete. Reload the page and try again.")
	}
	out.Items = make([]herald.EditionItem, len(heads))
	for i := range heads {
		out.Items[i] = herald.EditionItem{StoryID: formInt(stories[i]), Headline: strings.TrimSpace(heads[i]),
			Body: normalizeBlurb(bodies[i]), URL: strings.TrimSpace(urls[i])}
	}
	return &out, nil
}

// checkEdition reports the first thing an editor must fix before the
// edition can be saved.
func checkEdition(ed *herald.Edition) error {
	switch {
	case ed.Subject == "":
		return herald.Errorf(herald.EINVALID, "Write a subject line.")
	case utf8.RuneCountInString(ed.Subject) > 200:
		return herald.Errorf(herald.EINVALID, "Keep the subject line under 200 characters.")
	case utf8.RuneCountInString(ed.Preheader) > 250:
		return herald.Errorf(herald.EINVALID, "Keep the preheader under 250 characters.")
	case len(ed.Items) > maxEditionItems:
		return herald.Errorf(herald.EINVALID, "An edition holds at most %d items.", maxEditionItems)
	}
	if err := ed.CheckMarkdown(); err != nil {
		return err
	}
	if err := checkItem("The opening", ed.Opening); err != nil {
		return err
	}
	for i, it := range ed.Items {
		if err := checkItem("Item "+strconv.Itoa(i+1), it); err != nil {
			return err
		}
	}
	return nil
}

func checkItem(name string, it herald.EditionItem) error {
	switch {
	case it.Headline == "":
		return herald.Errorf(herald.EINVALID, "%s needs a headline.", name)
	case utf8.RuneCountInString(it.Headline) > maxHeadlineLen:
		return herald.Errorf(herald.EINVALID, "%s: keep the headline under %d characters.", name, maxHeadlineLen)
	case it.URL != "" && !webURL(it.URL):
		return herald.Errorf(herald.EINVALID, "%s: the link must be a full web address starting with https:// or http://.", name)
	}
	return nil
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// applyEditionOp carries out a composer button: "up:2", "down:0",
// "remove:3", or "blank" (a new item written directly). "save" and ""
// change nothing more. It returns the item to show next, or -1.
func applyEditionOp(ed *herald.Edition, op string) (int, error) {
	verb, arg, _ := strings.Cut(op, ":")
	if verb == "" || verb == "save" {
		return -1, nil
	}
	if verb == "blank" {
		if len(ed.Items) >= maxEditionItems {
			return -1, herald.Errorf(herald.EINVALID, "An edition holds at most %d items.", maxEditionItems)
		}
		ed.Items = append(ed.Items, herald.EditionItem{Headline: "New item"})
		return len(ed.Items) - 1, nil
	}
	i, err := strconv.Atoi(arg)
	if err != nil || i < 0 || i >= len(ed.Items) {
		return -1, herald.Errorf(herald.EINVALID, "That item is no longer in the edition. Reload the page.")
	}
	items := ed.Items
	switch verb {
	case "up":
		if i == 0 {
			return 0, nil
		}
		items[i-1], items[i] = items[i], items[i-1]
		return i - 1, nil
	case "down":
		if i == len(items)-1 {
			return i, nil
		}
		items[i], items[i+1] = items[i+1], items[i]
		return i + 1, nil
	case "remove":
		ed.Items = append(items[:i:i], items[i+1:]...)
		return -1, nil
	}
	return -1, herald.Errorf(herald.EINVALID, "Unknown action %q.", op)
}

// normalizeBlurb keeps a textarea's Markdown with LF line endings.
func normalizeBlurb(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func formInt(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
