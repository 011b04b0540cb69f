package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

func TestFindDeskStoriesSearchesHeadlinesNewestFirst(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t)
	old := f.mustStory(t, "Rates hold steady", 3*time.Hour, nil)
	draft := f.mustStory(t, "Rates rise 50% in Denver", 0, func(s *herald.Story) {
		s.Status, s.PublishedAt = herald.StatusDraft, time.Time{}
	})
	f.mustStory(t, "Council backs bike lanes", time.Hour, nil)
	f.mustStory(t, "Rates of 50 or more", 2*time.Hour, nil)

	got, total, err := f.stories.FindDeskStories(ctx, sqldb.DeskFilter{Headline: "RATES"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(got) != 3 || got[0].ID != draft.ID || got[2].ID != old.ID {
		t.Fatalf("search for rates: total %d, %v", total, headlines(got))
	}
	got, total, err = f.stories.FindDeskStories(ctx, sqldb.DeskFilter{Headline: "50%"})
	if err != nil || total != 1 || got[0].ID != draft.ID {
		t.Errorf("a %% in the search is literal: %d %v %v", total, headlines(got), err)
	}
	got, total, err = f.stories.FindDeskStories(ctx, sqldb.DeskFilter{Headline: "rates",
		StoryFilter: herald.StoryFilter{Status: herald.StatusPublished, Limit: 1, Offset: 1}})
	if err != nil || total != 2 || len(got) != 1 || got[0].ID != old.ID {
		t.Errorf("published rates, second page: %d %v %v", total, headlines(got), err)
	}
}

func headlines(stories []*herald.Story) []string {
	var out []string
	for _, s := range stories {
		out = append(out, s.Headline)
	}
	return out
}
