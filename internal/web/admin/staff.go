package admin

func (h *Handler) staffRoutes() []route { return nil }
