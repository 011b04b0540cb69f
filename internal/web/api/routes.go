package api

import (
	"net/http"

	"github.com/herald-news/herald"
)

// Route is one operation of the API: its method, its path pattern (as
// http.ServeMux reads it) and the permission a token's role must hold.
type Route struct {
	Method     string
	Pattern    string
	Permission herald.Permission // empty: no token needed
	Summary    string            // what it does, as "a writer token cannot …" reads it
	Creates    bool              // a POST that creates: honours Idempotency-Key
	LargeBody  bool              // takes a body over the JSON limit (CSV)
	handle     func(h *Handler, w http.ResponseWriter, r *http.Request, c *caller) error
}

// routes is every route of the API, the one table that the server, the
// permission check and the OpenAPI test all read.
var routes = []Route{
	{"GET", "/api/v1/openapi.json", "", "read the API description", false, false, (*Handler).openAPI},
	{"POST", "/api/v1/brevity-check", herald.PermDraft, "check a draft's Smart Brevity", false, false, (*Handler).brevityCheck},

	{"GET", "/api/v1/stories", herald.PermRead, "list stories", false, false, (*Handler).listStories},
	{"POST", "/api/v1/stories", herald.PermDraft, "create stories", true, false, (*Handler).createStory},
	{"GET", "/api/v1/stories/{id}", herald.PermRead, "read stories", false, false, (*Handler).getStory},
	{"PATCH", "/api/v1/stories/{id}", herald.PermDraft, "edit stories", false, false, (*Handler).updateStory},
	{"DELETE", "/api/v1/stories/{id}", herald.PermDraft, "delete stories", false, false, (*Handler).deleteStory},
	{"POST", "/api/v1/stories/{id}/publish", herald.PermPublish, "publish stories", false, false, (*Handler).publishStory},
	{"POST", "/api/v1/stories/{id}/schedule", herald.PermPublish, "schedule stories", false, false, (*Handler).scheduleStory},
	{"POST", "/api/v1/stories/{id}/unpublish", herald.PermPublish, "unpublish stories", false, false, (*Handler).unpublishStory},
	{"POST", "/api/v1/stories/{id}/corrections", herald.PermPublish, "add corrections", true, false, (*Handler).addCorrection},

	{"GET", "/api/v1/sections", herald.PermRead, "list sections", false, false, (*Handler).listSections},
	{"POST", "/api/v1/sections", herald.PermNewsroom, "create sections", true, false, (*Handler).createSection},
	{"GET", "/api/v1/sections/{slug}", herald.PermRead, "read sections", false, false, (*Handler).getSection},
	{"PUT", "/api/v1/sections/{slug}", herald.PermNewsroom, "change sections", false, false, (*Handler).putSection},
	{"GET", "/api/v1/topics", herald.PermRead, "list topics", false, false, (*Handler).listTopics},
	{"POST", "/api/v1/topics", herald.PermNewsroom, "create topics", true, false, (*Handler).createTopic},
	{"GET", "/api/v1/topics/{slug}", herald.PermRead, "read topics", false, false, (*Handler).getTopic},
	{"PUT", "/api/v1/topics/{slug}", herald.PermNewsroom, "change topics", false, false, (*Handler).putTopic},
	{"GET", "/api/v1/cities", herald.PermRead, "list cities", false, false, (*Handler).listCities},
	{"POST", "/api/v1/cities", herald.PermNewsroom, "create cities", true, false, (*Handler).createCity},
	{"GET", "/api/v1/cities/{slug}", herald.PermRead, "read cities", false, false, (*Handler).getCity},
	{"PUT", "/api/v1/cities/{slug}", herald.PermNewsroom, "change cities", false, false, (*Handler).putCity},
	{"GET", "/api/v1/authors", herald.PermRead, "list authors", false, false, (*Handler).listAuthors},
	{"POST", "/api/v1/authors", herald.PermNewsroom, "create authors", true, false, (*Handler).createAuthor},
	{"GET", "/api/v1/authors/{slug}", herald.PermRead, "read authors", false, false, (*Handler).getAuthor},
	{"PUT", "/api/v1/authors/{slug}", herald.PermNewsroom, "change authors", false, false, (*Handler).putAuthor},
	{"GET", "/api/v1/newsletters", herald.PermRead, "list newsletters", false, false, (*Handler).listNewsletters},
	{"GET", "/api/v1/newsletters/{slug}", herald.PermRead, "read newsletters", false, false, (*Handler).getNewsletter},

	{"GET", "/api/v1/editions", herald.PermRead, "list editions", false, false, (*Handler).listEditions},
	{"POST", "/api/v1/editions", herald.PermEditions, "draft editions", true, false, (*Handler).draftEdition},
	{"GET", "/api/v1/editions/{id}", herald.PermRead, "read editions", false, false, (*Handler).getEdition},
	{"PATCH", "/api/v1/editions/{id}", herald.PermEditions, "edit editions", false, false, (*Handler).updateEdition},
	{"POST", "/api/v1/editions/{id}/test", herald.PermEditions, "send test copies", false, false, (*Handler).testEdition},
	{"POST", "/api/v1/editions/{id}/send", herald.PermSend, "send editions", false, false, (*Handler).sendEdition},
	{"POST", "/api/v1/editions/{id}/schedule", herald.PermSend, "schedule editions", false, false, (*Handler).scheduleEdition},
	{"POST", "/api/v1/editions/{id}/pause", herald.PermSend, "pause sends", false, false, (*Handler).pauseEdition},
	{"POST", "/api/v1/editions/{id}/resume", herald.PermSend, "resume sends", false, false, (*Handler).resumeEdition},
	{"POST", "/api/v1/editions/{id}/cancel", herald.PermSend, "cancel sends", false, false, (*Handler).cancelEdition},
	{"GET", "/api/v1/editions/{id}/status", herald.PermRead, "read send status", false, false, (*Handler).editionStatus},
	{"GET", "/api/v1/editions/{id}/progress", herald.PermRead, "follow sends", false, false, (*Handler).editionProgress},

	{"GET", "/api/v1/subscribers", herald.PermSubscribers, "list subscribers", false, false, (*Handler).listSubscribers},
	{"POST", "/api/v1/subscribers", herald.PermSubscribers, "add subscribers", true, false, (*Handler).addSubscriber},
	{"POST", "/api/v1/subscribers/import", herald.PermSubscribers, "import subscribers", false, true, (*Handler).importSubscribers},
	{"GET", "/api/v1/subscribers/export", herald.PermSubscribers, "export subscribers", false, false, (*Handler).exportSubscribers},
	{"GET", "/api/v1/subscribers/{id}", herald.PermSubscribers, "read subscribers", false, false, (*Handler).getSubscriber},
	{"DELETE", "/api/v1/subscribers/{id}", herald.PermSubscribers, "erase subscribers", false, false, (*Handler).deleteSubscriber},
}

// RouteTable returns a copy of every route, for tests and documentation.
func RouteTable() []Route { return append([]Route(nil), routes...) }
