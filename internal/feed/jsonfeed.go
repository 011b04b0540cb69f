package feed

import (
	"encoding/json"
	"fmt"
)

// JSONFeedVersion is the version URL of the JSON Feed spec followed here.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url,omitempty"`
	FeedURL     string     `json:"feed_url,omitempty"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language,omitempty"`
	Items       []jsonItem `json:"items"`
}

type jsonAuth struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string     `json:"id"`
	URL           string     `json:"url"`
	Title         string     `json:"title"`
	ContentHTML   string     `json:"content_html,omitempty"`
	ContentText   string     `json:"content_text,omitempty"`
	Summary       string     `json:"summary,omitempty"`
	Image         string     `json:"image,omitempty"`
	DatePublished string     `json:"date_published"`
	DateModified  string     `json:"date_modified"`
	Authors       []jsonAuth `json:"authors,omitempty"`
	Tags          []string   `json:"tags,omitempty"`
}

// JSON renders the feed as JSON Feed 1.1. Every item has content: its HTML
// body in full-content feeds, otherwise its summary as text.
func (f *Feed) JSON() ([]byte, error) {
	doc := jsonFeed{Version: JSONFeedVersion, Title: f.Title, HomePageURL: f.HomeURL, FeedURL: f.FeedURL,
		Description: f.Description, Language: f.Language, Items: []jsonItem{}}
	for _, it := range f.Items {
		item := jsonItem{ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary,
			DatePublished: rfc3339(it.Published), DateModified: rfc3339(it.Updated), Tags: it.Categories}
		if it.ContentHTML != "" {
			item.ContentHTML = it.ContentHTML
		} else {
			item.ContentText = it.Summary
		}
		if it.Image != nil {
			item.Image = it.Image.URL
		}
		for _, a := range it.Authors {
			item.Authors = append(item.Authors, jsonAuth(a))
		}
		doc.Items = append(doc.Items, item)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return append(out, '\n'), nil
}
