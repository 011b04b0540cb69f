package herald

import "context"

// Site is what the whole website says about itself.
type Site struct {
	Name          string `json:"name"`
	Tagline       string `json:"tagline"`
	PostalAddress string `json:"postal_address"` // shown in the footer and in every email
	Language      string `json:"language"`       // BCP 47, "en-US"
}

// DefaultSite is used until an editor sets one.
var DefaultSite = Site{Name: "Herald", Tagline: "News that respects your time.", Language: "en-US"}

// SiteService stores the site's settings.
type SiteService interface {
	// Site returns the stored settings, or DefaultSite when none are stored.
	Site(ctx context.Context) (*Site, error)
	// SaveSite stores the settings. Returns EINVALID without a name.
	SaveSite(ctx context.Context, s *Site) error
}
