package compose

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

// testOptions are the sender settings of the tests.
var testOptions = Options{
	BaseURL:           "https://news.example.com",
	UnsubscribeMailto: "unsubscribe@news.example.com",
	FeedbackIDPrefix:  "herald",
}

// testSite returns a site with a postal address.
func testSite() *herald.Site {
	return &herald.Site{Name: "Herald", Language: "en-US",
		PostalAddress: "Herald Media Inc.\n100 Main Street, Suite 4\nSpringfield, IL 62701"}
}

// testNewsletter returns the morning newsletter.
func testNewsletter() *herald.Newsletter {
	return &herald.Newsletter{ID: 3, Slug: "morning-brief", Name: "Morning Brief", TimeZone: "America/Chicago",
		FromName: "Herald Morning Brief", FromEmail: "morning@news.example.com"}
}

// testEdition returns an edition with an opening and four items: one from
// a story, others written directly; axioms, a bullet list and links.
func testEdition() *herald.Edition {
	return &herald.Edition{
		ID:         42,
		Newsletter: testNewsletter(),
		Date:       time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Subject:    "The Fed's September signal",
		Preheader:  "Plus: streetcars stay free, and a record harvest.",
		Opening: herald.EditionItem{
			StoryID:  7,
			Headline: "The Fed signals a September cut",
			Body: "The Federal Reserve held rates steady on Wednesday but signaled it's ready to cut as soon as September.\n\n" +
				"**Why it matters:** Lower rates would ease borrowing costs for millions of U.S. households.\n\n" +
				"- **By the numbers:** 1,012 economists were surveyed.\n- **Yes, but:** Officials don't agree on the pace.\n",
			URL: "https://news.example.com/2026/11/27/fed-september-cut",
		},
		Items: []herald.EditionItem{
			{Headline: "Streetcars stay free", Body: "The city council voted 7-2 to keep the downtown streetcar free through 2027.\n\n" +
				"**What's next:** A [budget hearing](/2026/11/20/budget-hearing) in January."},
			{StoryID: 9, Headline: "A record harvest", URL: "https://news.example.com/2026/11/26/record-harvest",
				Body: "Illinois farmers brought in a record corn crop.\n\n**The big picture:** Prices are falling & storage is full."},
			{Headline: "Schools add counselors", Body: "**Driving the news:** The district hired 40 counselors.\n\n1. Ten start Monday.\n2. The rest in January."},
			{Headline: "Weekend weather", Body: "> Bring an umbrella, says the forecaster.\n\nHighs near 50."},
		},
	}
}

// bigEdition returns an edition with a long opening and n long items: n=3
// makes about 10 KB of HTML, n=9 about 1,400 words, a long daily edition.
func bigEdition(n int) *herald.Edition {
	ed := testEdition()
	para := strings.Repeat("Officials said the plan would take effect next year, pending a final vote and a review by state regulators. ", 3)
	body := para + "\n\n**Why it matters:** " + para + "\n\n- **By the numbers:** 1,012 economists were surveyed.\n- **Yes, but:** Officials don't agree on the pace.\n"
	ed.Opening.Body += "\n\n" + body
	ed.Items = ed.Items[:0]
	for i := range n {
		ed.Items = append(ed.Items, herald.EditionItem{Headline: "Item headline number " + string(rune('A'+i)), Body: body,
			URL: "https://news.example.com/2026/11/27/item-" + string(rune('a'+i))})
	}
	return ed
}

// testRecipient returns reader n with personal token links.
func testRecipient(n int64) Recipient {
	tok := strings.Repeat(string(rune('A'+n)), 20) + ".sig" + string(rune('a'+n))
	return Recipient{SubscriberID: n, Email: "reader" + string(rune('0'+n)) + "@example.org",
		UnsubscribeURL: "https://news.example.com/unsubscribe/" + tok,
		PreferencesURL: "https://news.example.com/preferences/" + tok}
}

// MustRender renders ed or fails the test.
func MustRender(tb testing.TB, ed *herald.Edition) *EditionMail {
	tb.Helper()
	m, err := Render(testSite(), ed, testOptions)
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return m
}
