package api

import (
	"net/http"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

// Route is one operation of the API: its method, its path pattern (as
// http.ServeMux reads it) and the permission a token's role must hold.
type Route struct {
	Method     string
	Pattern    string
	Permission herald.Permission // empty: no token needed
	Summary    string            // what it does, as "a writer token cannot …" reads it
	Creates    bool              // a POST that creates: honours Idempotency-Key
	MaxBody    int64             // the body limit; 0 is the JSON limit
	handle     func(h *Handler, w http.ResponseWriter, r *http.Request, c *caller) error
}

// routes is every route of the API, the one table that the server, the
// permission check and the OpenAPI test all read.
var routes = []Route{
	{"GET", "/api/v1/openapi.json", "", "read the API description", false, 0, (*Handler).openAPI},
	{"POST", "/api/v1/brevity-check", herald.PermDraft, "check a draft's Smart Brevity", false, 0, (*Handler).brevityCheck},

	{"GET", "/api/v1/stories", herald.PermRead, "list stories", false, 0, (*Handler).listStories},
	{"POST", "/api/v1/stories", herald.PermDraft, "create stories", true, 0, (*Handler).createStory},
	{"GET", "/api/v1/stories/{id}", herald.PermRead, "read stories", false, 0, (*Handler).getStory},
	{"PATCH", "/api/v1/stories/{id}", herald.PermDraft, "edit stories", false, 0, (*Handler).updateStory},
	{"DELETE", "/api/v1/stories/{id}", herald.PermDraft, "delete stories", false, 0, (*Handler).deleteStory},
	{"POST", "/api/v1/stories/{id}/publish", herald.PermPublish, "publish stories", false, 0, (*Handler).publishStory},
	{"POST", "/api/v1/stories/{id}/schedule", herald.PermPublish, "schedule stories", false, 0, (*Handler).scheduleStory},
	{"POST", "/api/v1/stories/{id}/unpublish", herald.PermPublish, "unpublish stories", false, 0, (*Handler).unpublishStory},
	{"POST", "/api/v1/stories/{id}/corrections", herald.PermPublish, "add corrections", true, 0, (*Handler).addCorrection},

	{"POST", "/api/v1/photos", herald.PermDraft, "upload photos", false, media.MaxImageBytes, (*Handler).uploadPhoto},

	{"GET", "/api/v1/sections", herald.PermRead, "list sections", false, 0, (*Handler).listSections},
	{"POST", "/api/v1/sections", herald.PermNewsroom, "create sections", true, 0, (*Handler).createSection},
	{"GET", "/api/v1/sections/{slug}", herald.PermRead, "read sections", false, 0, (*Handler).getSection},
	{"PUT", "/api/v1/sections/{slug}", herald.PermNewsroom, "change sections", false, 0, (*Handler).putSection},
	{"GET", "/api/v1/topics", herald.PermRead, "list topics", false, 0, (*Handler).listTopics},
	{"POST", "/api/v1/topics", herald.PermNewsroom, "create topics", true, 0, (*Handler).createTopic},
	{"GET", "/api/v1/topics/{slug}", herald.PermRead, "read topics", false, 0, (*Handler).getTopic},
	{"PUT", "/api/v1/topics/{slug}", herald.PermNewsroom, "change topics", false, 0, (*Handler).putTopic},
	{"GET", "/api/v1/cities", herald.PermRead, "list cities", false, 0, (*Handler).listCities},
	{"POST", "/api/v1/cities", herald.PermNewsroom, "create cities", true, 0, (*Handler).createCity},
	{"GET", "/api/v1/cities/{slug}", herald.PermRead, "read cities", false, 0, (*Handler).getCity},
	{"PUT", "/api/v1/cities/{slug}", herald.PermNewsroom, "change cities", false, 0, (*Handler).putCity},
	{"GET", "/api/v1/authors", herald.PermRead, "list authors", false, 0, (*Handler).listAuthors},
	{"POST", "/api/v1/authors", herald.PermNewsroom, "create authors", true, 0, (*Handler).createAuthor},
	{"GET", "/api/v1/authors/{slug}", herald.PermRead, "read authors", false, 0, (*Handler).getAuthor},
	{"PUT", "/api/v1/authors/{slug}", herald.PermNewsroom, "change authors", false, 0, (*Handler).putAuthor},
	{"GET", "/api/v1/newsletters", herald.PermRead, "list newsletters", false, 0, (*Handler).listNewsletters},
	{"GET", "/api/v1/newsletters/{slug}", herald.PermRead, "read newsletters", false, 0, (*Handler).getNewsletter},
	{"POST", "/api/v1/newsletters", herald.PermSettings, "create newsletters", true, 0, (*Handler).createNewsletter},
	{"PUT", "/api/v1/newsletters/{slug}", herald.PermSettings, "change newsletters", false, 0, (*Handler).putNewsletter},
	{"GET", "/api/v1/settings", herald.PermSettings, "read site settings", false, 0, (*Handler).getSettings},
	{"PUT", "/api/v1/settings", herald.PermSettings, "change site settings", false, 0, (*Handler).putSettings},

	{"GET", "/api/v1/editions", herald.PermRead, "list editions", false, 0, (*Handler).listEditions},
	{"POST", "/api/v1/editions", herald.PermEditions, "draft editions", true, 0, (*Handler).draftEdition},
	{"GET", "/api/v1/editions/{id}", herald.PermRead, "read editions", false, 0, (*Handler).getEdition},
	{"PATCH", "/api/v1/editions/{id}", herald.PermEditions, "edit editions", false, 0, (*Handler).updateEdition},
	{"POST", "/api/v1/editions/{id}/test", herald.PermEditions, "send test copies", false, 0, (*Handler).testEdition},
	{"POST", "/api/v1/editions/{id}/send", herald.PermSend, "send editions", false, 0, (*Handler).sendEdition},
	{"POST", "/api/v1/editions/{id}/schedule", herald.PermSend, "schedule editions", false, 0, (*Handler).scheduleEdition},
	{"POST", "/api/v1/editions/{id}/pause", herald.PermSend, "pause sends", false, 0, (*Handler).pauseEdition},
	{"POST", "/api/v1/editions/{id}/resume", herald.PermSend, "resume sends", false, 0, (*Handler).resumeEdition},
	{"POST", "/api/v1/editions/{id}/cancel", herald.PermSend, "cancel sends", false, 0, (*Handler).cancelEdition},
	{"POST", "/api/v1/editions/{id}/unschedule", herald.PermSend, "unschedule editions", false, 0, (*Handler).unscheduleEdition},
	{"GET", "/api/v1/editions/{id}/status", herald.PermRead, "read send status", false, 0, (*Handler).editionStatus},
	{"GET", "/api/v1/editions/{id}/progress", herald.PermRead, "follow sends", false, 0, (*Handler).editionProgress},

	{"GET", "/api/v1/subscribers", herald.PermSubscribers, "list subscribers", false, 0, (*Handler).listSubscribers},
	{"POST", "/api/v1/subscribers", herald.PermSubscribers, "add subscribers", true, 0, (*Handler).addSubscriber},
	{"POST", "/api/v1/subscribers/import", herald.PermSubscribers, "import subscribers", false, maxCSVBody, (*Handler).importSubscribers},
	{"GET", "/api/v1/subscribers/export", herald.PermSubscribers, "export subscribers", false, 0, (*Handler).exportSubscribers},
	{"GET", "/api/v1/subscribers/{id}", herald.PermSubscribers, "read subscribers", false, 0, (*Handler).getSubscriber},
	{"DELETE", "/api/v1/subscribers/{id}", herald.PermSubscribers, "erase subscribers", false, 0, (*Handler).deleteSubscriber},
}

// RouteTable returns a copy of every route, for tests and documentation.
func RouteTable() []Route { return append([]Route(nil), routes...) }
