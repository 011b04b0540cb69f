package herald

import (
	"context"
	"strings"
	"time"
)

// Section is a desk of the newsroom: "World", "Politics & Policy".
type Section struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Version     int // rises with every save; see Story.Version
}

// Path is the section page's URL path.
func (s *Section) Path() string { return "/sections/" + s.Slug }

// Topic is a theme that cuts across sections: "Climate", "Housing".
type Topic struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Version     int // rises with every save; see Story.Version
}

// Path is the topic page's URL path.
func (t *Topic) Path() string { return "/topics/" + t.Slug }

// City is a local edition with its own stream and newsletter.
type City struct {
	ID          int64
	Slug        string
	Name        string
	TimeZone    string // IANA name
	Description string
	Version     int // rises with every save; see Story.Version
}

// Path is the city page's URL path.
func (c *City) Path() string { return "/local/" + c.Slug }

// Location returns the city's time zone, UTC when it is unknown.
func (c *City) Location() *time.Location {
	if loc, err := time.LoadLocation(c.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// AuthorKind tells staff from outside contributors.
type AuthorKind string

// Author kinds.
const (
	AuthorStaff       AuthorKind = "staff"
	AuthorContributor AuthorKind = "contributor"
)

// Author writes stories.
type Author struct {
	ID    int64
	Slug  string
	Name  string
	Title string // job title
	Kind  AuthorKind
	Bio   string
	Photo *Photo
	// Version rises with every save; see Story.Version.
	Version int
}

// Path is the author page's URL path.
func (a *Author) Path() string { return "/authors/" + a.Slug }

// Photo is an image with what readers and screen readers need to know of it.
type Photo struct {
	ID      int64
	Path    string // path in the media store, served under /media/
	URL     string // an external image, when Path is empty
	Alt     string
	Caption string
	Credit  string
	Width   int
	Height  int
}

// CreditLine is the credit as printed under the photo: "Photo: Jo Lee/Herald",
// unless the credit already says what it is ("Illustration: …", "Chart: …").
func (p *Photo) CreditLine() string {
	if p.Credit == "" {
		return ""
	}
	if label, _, ok := strings.Cut(p.Credit, ":"); ok && !strings.ContainsAny(label, " /") || strings.HasPrefix(p.Credit, "Photo illustration:") {
		return p.Credit
	}
	return "Photo: " + p.Credit
}

// Src is the address a page uses for the image.
func (p *Photo) Src() string {
	if p.Path != "" {
		return "/media/" + p.Path
	}
	return p.URL
}

// Newsletter is a list readers subscribe to; editions are sent from it.
type Newsletter struct {
	ID          int64
	Slug        string
	Name        string
	Promise     string // one line: what a reader gets
	SignupTitle string // "Sign up for our daily briefing"
	Curator     *Author
	Days        []string // mon … sun
	SendTime    string   // "06:00" in TimeZone
	TimeZone    string
	City        *City
	Sections    []string // slugs of sections that feed it
	Topics      []string // slugs of topics that feed it
	FromName    string
	FromEmail   string
	SendMode    SendMode // approve unless an editor chose automatic
	// Version rises with every save; a save that names an older one is
	// refused (ESTALE); zero saves whatever is stored.
	Version int
}

// SendMode says whether a newsletter's editions wait for an editor's yes.
type SendMode string

// Send modes (DESIGN.md invariant 9).
const (
	SendApprove   SendMode = "approve"   // the desk drafts at the slot; an editor schedules or sends
	SendAutomatic SendMode = "automatic" // goes out at its slot unless an editor holds it
)

// Path is the newsletter page's URL path.
func (n *Newsletter) Path() string { return "/newsletters/" + n.Slug }

// NewsroomService stores the newsroom's sections, topics, cities, authors and
// newsletters. Find methods return ENOTFOUND for unknown slugs.
type NewsroomService interface {
	Sections(ctx context.Context) ([]*Section, error)
	FindSection(ctx context.Context, slug string) (*Section, error)
	SaveSection(ctx context.Context, s *Section) error
	Topics(ctx context.Context) ([]*Topic, error)
	FindTopic(ctx context.Context, slug string) (*Topic, error)
	SaveTopic(ctx context.Context, t *Topic) error
	Cities(ctx context.Context) ([]*City, error)
	FindCity(ctx context.Context, slug string) (*City, error)
	SaveCity(ctx context.Context, c *City) error
	Authors(ctx context.Context) ([]*Author, error)
	FindAuthor(ctx context.Context, slug string) (*Author, error)
	SaveAuthor(ctx context.Context, a *Author) error
	Newsletters(ctx context.Context) ([]*Newsletter, error)
	FindNewsletter(ctx context.Context, slug string) (*Newsletter, error)
	SaveNewsletter(ctx context.Context, n *Newsletter) error
	// IsEmpty reports whether the newsroom has no sections and no stories.
	IsEmpty(ctx context.Context) (bool, error)
}

// dayNames are the cadence days in week order.
var dayNames = []struct{ key, plural string }{
	{"mon", "Mondays"}, {"tue", "Tuesdays"}, {"wed", "Wednesdays"}, {"thu", "Thursdays"},
	{"fri", "Fridays"}, {"sat", "Saturdays"}, {"sun", "Sundays"},
}

// Schedule says when the newsletter arrives: "Weekdays at 6:00 AM ET".
func (n *Newsletter) Schedule() string {
	on := map[string]bool{}
	for _, d := range n.Days {
		on[strings.ToLower(d)] = true
	}
	var days string
	switch {
	case len(on) == 7:
		days = "Every day"
	case len(on) == 5 && !on["sat"] && !on["sun"]:
		days = "Weekdays"
	case len(on) == 2 && on["sat"] && on["sun"]:
		days = "Weekends"
	default:
		var names []string
		for _, d := range dayNames {
			if on[d.key] {
				names = append(names, d.plural)
			}
		}
		days = strings.Join(names, ", ")
	}
	if days == "" {
		return ""
	}
	at, err := time.Parse("15:04", n.SendTime)
	if err != nil {
		return days
	}
	return days + " at " + at.Format("3:04 PM") + zoneLabel(n.TimeZone)
}

// zoneLabel names US zones the way readers say them (" ET"), others by
// their IANA name.
func zoneLabel(tz string) string {
	switch tz {
	case "America/New_York", "America/Detroit", "America/Indiana/Indianapolis":
		return " ET"
	case "America/Chicago":
		return " CT"
	case "America/Denver", "America/Boise":
		return " MT"
	case "America/Phoenix":
		return " MST"
	case "America/Los_Angeles":
		return " PT"
	case "", "UTC":
		return " UTC"
	}
	return " (" + tz + ")"
}
