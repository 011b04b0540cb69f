// Package demo holds the demo newsroom of The Herald Daily: its sections,
// cities, staff, newsletters and stories, plus the code that paints the demo
// photos so the binary ships no image files.
package demo

import "embed"

// Content is the demo newsroom: content/newsroom.yaml and content/stories/*.md.
//
//go:embed content
var Content embed.FS
