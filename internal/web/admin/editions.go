package admin

func (h *Handler) editionRoutes() []route { return nil }
