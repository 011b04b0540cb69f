package admin

func (h *Handler) inboxRoutes() []route { return nil }
