package herald

import (
	"context"
	"regexp"
	"strings"
)

// Site is what the whole website says about itself.
type Site struct {
	Name          string `json:"name"`
	Tagline       string `json:"tagline"`
	PostalAddress string `json:"postal_address"` // shown in the footer and in every email
	Language      string `json:"language"`       // BCP 47, "en-US"
	TwitterHandle string `json:"twitter_handle"` // "@heraldnews", for twitter:site on shared links; may be empty
	// Version rises with every save; a save that names an older one is
	// refused (ESTALE); zero saves whatever is stored.
	Version int `json:"version"`
}

// twitterHandlePattern is what X accepts: up to 15 letters, digits and
// underscores.
var twitterHandlePattern = regexp.MustCompile(`^@[A-Za-z0-9_]{1,15}$`)

// Validate checks the settings an editor typed and tidies them: spaces
// trimmed, the handle given its "@".
func (s *Site) Validate() error {
	s.Name, s.Tagline = strings.TrimSpace(s.Name), strings.TrimSpace(s.Tagline)
	s.PostalAddress, s.Language = strings.TrimSpace(s.PostalAddress), strings.TrimSpace(s.Language)
	if s.Name == "" {
		return Errorf(EINVALID, "The site needs a name.")
	}
	if err := CheckLines("site name", s.Name, "tagline", s.Tagline, "language", s.Language); err != nil {
		return err
	}
	if err := CheckLimits(Limit{"site name", s.Name, 200}, Limit{"tagline", s.Tagline, 300},
		Limit{"postal address", s.PostalAddress, 500}, Limit{"language", s.Language, 35}); err != nil {
		return err
	}
	// The postal address may have several lines; keep them as \n only.
	s.PostalAddress = strings.ReplaceAll(s.PostalAddress, "\r\n", "\n")
	s.PostalAddress = strings.ReplaceAll(s.PostalAddress, "\r", "\n")
	if h := strings.TrimSpace(s.TwitterHandle); h != "" {
		if !strings.HasPrefix(h, "@") {
			h = "@" + h
		}
		if !twitterHandlePattern.MatchString(h) {
			return Errorf(EINVALID, "The X (Twitter) handle %q must be up to 15 letters, digits or underscores.", s.TwitterHandle)
		}
		s.TwitterHandle = h
	}
	return nil
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
