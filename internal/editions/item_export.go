package editions

import "github.com/herald-news/herald"

// Item is the edition item the desk makes of a story: its headline, its
// summary and first axiom, and its absolute URL. The JSON API uses it when
// an editor adds a story to an edition by ID.
func (d *Desk) Item(st *herald.Story) herald.EditionItem { return d.item(st) }
