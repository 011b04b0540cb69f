package admin

import "net/http"

func (h *Handler) dashboardRoutes() []route {
	return []route{{"GET /admin/{$}", "", h.dashboard}}
}

// dashboard is a placeholder until the charts land.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "dashboard", "Dashboard", nil)
}
