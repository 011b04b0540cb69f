package admin

func (h *Handler) subscriberRoutes() []route { return nil }
