package admin

func (h *Handler) storyRoutes() []route { return nil }
