package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/web/site"
)

func TestStoryPageShowsEverySmartBrevityElement(t *testing.T) {
	n := mustNewsroom(t)
	pick := n.story("Senate passes the water bill", 51*time.Minute, func(s *herald.Story) { s.Section = n.politics })
	st := n.story("Council backs a protected bike network", 2*time.Hour, func(s *herald.Story) {
		s.Authors = []*herald.Author{n.reporter, n.editor}
		s.Corrections = []*herald.Correction{{Date: n.clock.Now().Add(-time.Hour), Text: "An earlier version misstated the vote."}}
		s.RelatedIDs = []int64{pick.ID}
	})
	status, d := n.get(st.Path())
	if status != 200 {
		t.Fatalf("GET %s = %d", st.Path(), status)
	}
	if got := text(d.first(t, "h1")); got != st.Headline {
		t.Errorf("h1 = %q", got)
	}
	if got := text(d.first(t, "p.byline")); got != "By Ana Ruiz and Sam Cole" {
		t.Errorf("byline = %q", got)
	}
	if links := d.all("p.byline a"); len(links) != 2 || attr(links[0], "href") != "/authors/ana-ruiz" {
		t.Errorf("byline links = %d", len(links))
	}
	published := d.first(t, "time.published")
	if attr(published, "datetime") != "2026-11-27T13:00:00Z" || text(published) != "Nov 27, 2026 - 1:00 PM UTC" {
		t.Errorf("published = %q %q", attr(published, "datetime"), text(published))
	}
	if len(d.all("time.updated")) != 0 {
		t.Error("an unedited story shows Updated")
	}
	fig := d.first(t, "div.lead-photo figure")
	if img := all(fig, "img"); len(img) != 1 || attr(img[0], "alt") != "Alt for "+st.Headline {
		t.Error("lead photo without its alt text")
	}
	if got := text(all(fig, "figcaption")[0]); got != "Caption for "+st.Headline+". Photo: Jo Lee/Herald" {
		t.Errorf("figcaption = %q (caption, then the credit)", got)
	}
	if got := d.texts("div.block-lede"); len(got) != 1 || !strings.HasPrefix(got[0], "The city council voted 9-2") {
		t.Errorf("lede = %q", got)
	}
	axioms := d.texts("div.story-body strong")
	for _, want := range []string{"Why it matters:", "By the numbers:", "Cost:", "What's next:"} {
		if !slices.Contains(axioms, want) {
			t.Errorf("axiom %q not in <strong>: %q", want, axioms)
		}
	}
	if items := d.all("div.story-body li"); len(items) != 2 {
		t.Errorf("%d bullets, want 2", len(items))
	}
	if got := d.texts("div.story-body blockquote"); len(got) != 1 {
		t.Errorf("quotes = %q", got)
	}
	if got := d.texts("aside.corrections p.correction"); len(got) != 1 || !strings.Contains(got[0], "misstated the vote") {
		t.Errorf("corrections = %q", got)
	}
	if len(d.all("p.contributor-bio")) != 0 {
		t.Error("a news story shows a contributor bio")
	}
	cards := d.all("section.go-deeper article.card")
	if len(cards) == 0 {
		t.Fatal("no Go deeper cards")
	}
	if got := text(all(cards[0], "p.card-meta")[0]); got != "51 mins ago - Politics & Policy" {
		t.Errorf("first Go deeper card meta = %q, want the editor's pick", got)
	}
	if got := text(all(cards[0], "div.card-axiom")[0]); got != "Why it matters: Traffic deaths rose for the third straight year." {
		t.Errorf("Go deeper axiom = %q", got)
	}
	for _, c := range cards {
		if h := text(all(c, "h3")[0]); h == st.Headline {
			t.Error("Go deeper lists the story itself")
		}
	}
}

func TestStoryKindsHaveTheirLayout(t *testing.T) {
	n := mustNewsroom(t)
	n.story("Other world news", 3*time.Hour, nil)
	opinion := n.story("Cities should build bike lanes faster", time.Hour, func(s *herald.Story) {
		s.Kind, s.Authors = herald.KindOpinion, []*herald.Author{n.guest}
	})
	gallery := n.story("In photos: The first snow of the season", time.Hour, func(s *herald.Story) {
		s.Kind = herald.KindGallery
		s.Gallery = []*herald.Photo{
			{URL: "https://img.example/1.jpg", Alt: "Snow on a bench", Caption: "A bench in Civic Center Park.", Credit: "Ria Moss/Herald"},
			{URL: "https://img.example/2.jpg", Alt: "Kids sledding", Caption: "Sledding in Washington Park.", Credit: "Ria Moss/Herald"},
		}
	})
	analysis := n.story("What the bike vote tells us about 2027", time.Hour, func(s *herald.Story) { s.Kind = herald.KindAnalysis })
	local := n.story("Denver adds 40 miles of bike lanes", time.Hour, func(s *herald.Story) { s.City = n.denver })

	_, d := n.get(opinion.Path())
	bio := d.all("p.contributor-bio")
	if len(bio) != 1 || text(bio[0]) != n.guest.Bio {
		t.Errorf("opinion bio = %q", d.texts("p.contributor-bio"))
	}
	if !strings.Contains(text(d.first(t, "p.kicker")), "Opinion") {
		t.Error("opinion piece not labelled")
	}

	_, d = n.get(gallery.Path())
	figs := d.all("section.gallery figure")
	if len(figs) != 2 || text(all(figs[1], "figcaption")[0]) != "Sledding in Washington Park. Photo: Ria Moss/Herald" {
		t.Errorf("gallery figures = %d %q", len(figs), d.texts("section.gallery figcaption"))
	}

	_, d = n.get(analysis.Path())
	if !strings.Contains(text(d.first(t, "p.kicker")), "Analysis") {
		t.Error("analysis not labelled")
	}

	if want := "/local/denver/2026/11/27/denver-adds-40-miles-of-bike-lanes"; local.Path() != want {
		t.Fatalf("local path = %q", local.Path())
	}
	status, d := n.get(local.Path())
	if status != 200 || text(d.first(t, "h1")) != local.Headline {
		t.Errorf("local story: %d", status)
	}
}

func TestEditedStoryShowsUpdated(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Storm heads for the coast", 6*time.Hour, func(s *herald.Story) { s.Section = n.politics })
	n.clock.Advance(2 * time.Hour) // edited 4 hours before the reader looks
	st.Body += "\n\n**Go deeper:** More later."
	if err := n.stories.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	n.clock.Advance(4 * time.Hour)
	_, d := n.get(st.Path())
	if got := d.texts("time.updated"); len(got) != 1 || got[0] != "Updated 4 hours ago" {
		t.Errorf("story page updated = %q", got)
	}
	_, d = n.get("/")
	if got := text(d.first(t, "article.card p.card-meta")); got != "Updated 4 hours ago - Politics & Policy" {
		t.Errorf("home card meta = %q", got)
	}
	if dt := attr(d.first(t, "article.card time"), "datetime"); dt != "2026-11-27T17:00:00Z" {
		t.Errorf("card datetime = %q, want the update time", dt)
	}
}

func TestChangedSlugAndWrongDateRedirect(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Old headline", time.Hour, nil)
	old := st.Path()
	st.Slug = "new-headline"
	if err := n.stories.UpdateStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{old, "/2020/01/01/new-headline", "/local/denver/2026/11/27/new-headline"} {
		resp, _ := mustGet(t, n.srv.URL+path)
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/2026/11/27/new-headline" {
			t.Errorf("GET %s = %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

func TestHostileBodyRendersInert(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Hostile", time.Hour, func(s *herald.Story) {
		s.Body = "Lede <script>alert(1)</script>.\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n<a href=\"JaVaScRiPt:alert(4)\">x</a>"
		s.Headline = `<script>alert("h")</script> Hostile`
		s.Slug = "hostile"
	})
	resp, d := mustGet(t, n.srv.URL+st.Path())
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, s := range d.all("script") {
		if attr(s, "type") == "application/ld+json" && json.Valid([]byte(text(s))) {
			continue // a data block, never run
		}
		if !strings.HasPrefix(attr(s, "src"), "/static/signup.js?v=") {
			t.Errorf("a script element other than ours: %q", text(s))
		}
	}
	walk(d.root, func(el *htmlNode) {
		for _, a := range el.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("<%s %s=%q> survived", el.Data, a.Key, a.Val)
			}
		}
	})
}

func TestUploadedPhotoOffersItsResizedCopies(t *testing.T) {
	store := &media.Store{Dir: t.TempDir()}
	n := mustNewsroom(t, func(h *site.Handler) { h.Media = store })
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 1200, 800)), nil); err != nil {
		t.Fatal(err)
	}
	p, err := store.SavePhoto(context.Background(), jpg.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	st := n.story("Floodwall rises downtown", time.Hour, func(s *herald.Story) {
		s.Photo = &herald.Photo{Path: p.Path, Width: p.Width, Height: p.Height, Alt: "The wall", Credit: "Jo Lee/Herald"}
	})
	_, d := n.get(st.Path())
	img := d.first(t, "figure.photo img")
	want := "/media/" + media.VariantPath(p.Path, 480) + " 480w, /media/" + media.VariantPath(p.Path, 960) + " 960w, /media/" + p.Path + " 1200w"
	if got := attr(img, "srcset"); got != want || attr(img, "sizes") == "" {
		t.Errorf("srcset %q, want %q", got, want)
	}
	// A photo from elsewhere has no copies to offer.
	other := n.story("Bridge reopens", 2*time.Hour, nil)
	_, d = n.get(other.Path())
	if got := attr(d.first(t, "figure.photo img"), "srcset"); got != "" {
		t.Errorf("an external photo has srcset %q", got)
	}
}
