package api

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// photoJSON is a story's photo as the API shows and takes it. A photo
// uploaded with POST /api/v1/photos has an absolute url under the site's
// /media/ and its path in the media store; any other photo is an external
// http(s) url.
type photoJSON struct {
	URL     string `json:"url"`
	Path    string `json:"path,omitempty"` // uploaded photos only; taken back only if it matches url
	Alt     string `json:"alt"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit"`
}

// photoJSON shows a story's photo, an uploaded one at its absolute URL.
func (h *Handler) photoJSON(p *herald.Photo) *photoJSON {
	out := &photoJSON{URL: p.URL, Path: p.Path, Alt: p.Alt, Caption: p.Caption, Credit: p.Credit}
	if p.Path != "" {
		out.URL = h.mediaURL(p.Path)
	}
	return out
}

// photo makes a story's photo of its JSON, so that what photoJSON shows
// can be sent back. A url under BaseURL/media/ or /media/, or a path
// alone, names an uploaded photo, which must be in the store; any other
// url must be an http(s) address.
func (h *Handler) photo(p *photoJSON) (*herald.Photo, error) {
	ref := cmp.Or(p.URL, "/media/"+p.Path)
	rel, stored := h.storedPath(ref)
	switch {
	case !stored && !isWebAddress(ref):
		return nil, errInvalid("photo.url: %q is not a web address starting with https:// or http://.", p.URL)
	case p.Path != "" && p.Path != rel:
		return nil, errInvalid("photo.path: %q is not the photo at photo.url %q; send the url alone.", p.Path, p.URL)
	case strings.TrimSpace(p.Alt) == "":
		return nil, errInvalid("photo.alt: describe the photo for readers who cannot see it.")
	case strings.TrimSpace(p.Credit) == "":
		return nil, errInvalid("photo.credit: a photo needs a credit, like \"Jo Lee/The Herald\".")
	}
	out := &herald.Photo{Alt: p.Alt, Caption: p.Caption, Credit: p.Credit}
	if !stored {
		out.URL = ref
		return out, nil
	}
	img, err := h.Media.Image(rel)
	switch herald.ErrorCode(err) {
	case "":
	case herald.EINVALID, herald.ENOTFOUND:
		return nil, errInvalid("photo.url: no uploaded photo at %q; upload it first with POST /api/v1/photos.", ref)
	default:
		return nil, err
	}
	out.Path, out.Width, out.Height = img.Path, img.Width, img.Height
	return out, nil
}

// storedPath returns the media store's path that ref names when it is the
// address of an uploaded photo: BaseURL/media/… or /media/….
func (h *Handler) storedPath(ref string) (string, bool) {
	for _, prefix := range []string{h.BaseURL + "/media/", "/media/"} {
		if rel, ok := strings.CutPrefix(ref, prefix); ok {
			return rel, true
		}
	}
	return "", false
}

// mediaURL is the absolute address of the stored file at rel.
func (h *Handler) mediaURL(rel string) string { return h.BaseURL + "/media/" + rel }

// isWebAddress reports whether s is an absolute http(s) URL.
func isWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// photoTypes are the Content-Types an upload may have; the store still
// reads the format from the bytes themselves.
var photoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// uploadJSON answers an upload: the photo at full size and its narrower
// variants (width in pixels → URL), all URLs absolute.
type uploadJSON struct {
	URL      string            `json:"url"`
	Path     string            `json:"path"`
	Width    int               `json:"width"`
	Height   int               `json:"height"`
	Variants map[string]string `json:"variants"`
}

// uploadPhoto stores the body, a photo, at full size and at the widths
// pages use: POST /api/v1/photos. Photos are stored by their content, so
// the same bytes again get the same answer and store nothing new.
func (h *Handler) uploadPhoto(w http.ResponseWriter, r *http.Request, _ *caller) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); !slices.Contains(photoTypes, mt) {
		return herald.Errorf(eUnsupported, "Send the photo itself as the body, as image/jpeg, image/png or image/webp, not %q.", mt)
	}
	data, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errTooLarge(tooLarge.Limit)
	} else if err != nil {
		return fmt.Errorf("api: read photo: %w", err)
	}
	p, err := h.Media.SavePhoto(r.Context(), data)
	if err != nil {
		return err
	}
	out := uploadJSON{URL: h.mediaURL(p.Path), Path: p.Path, Width: p.Width, Height: p.Height, Variants: map[string]string{}}
	for width, rel := range p.Variants {
		out.Variants[strconv.Itoa(width)] = h.mediaURL(rel)
	}
	return created(w, out.URL, out)
}
