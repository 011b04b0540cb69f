package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/jobs"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// A story scheduled through the queue is marked published by River at its
// time, with no restart and no help from the periodic sweep.
func TestScheduledStoryPublishedByQueue(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.MustOpen(t)
	if err := jobs.Migrate(ctx, db.SQL(), db.Dialect() == sqldb.Postgres); err != nil {
		t.Fatal(err)
	}
	stories, newsroom := sqldb.NewStoryService(db), sqldb.NewNewsroomService(db)
	queue, err := jobs.New(db.SQL(), jobs.Options{Postgres: db.Dialect() == sqldb.Postgres, Stories: stories, Clock: herald.SystemClock{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Work: true, SweepEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	stories.Jobs = queue
	sec := &herald.Section{Slug: "world", Name: "World"}
	author := &herald.Author{Slug: "a", Name: "A", Kind: herald.AuthorStaff}
	if err := newsroom.SaveSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	if err := newsroom.SaveAuthor(ctx, author); err != nil {
		t.Fatal(err)
	}
	st := &herald.Story{Headline: "Embargoed", Kind: herald.KindNews, Status: herald.StatusDraft, Body: "Lede.",
		Section: sec, Authors: []*herald.Author{author}}
	if err := stories.CreateStory(ctx, st); err != nil {
		t.Fatal(err)
	}
	// The sweep runs on start; the story is not due yet, so it must stay.
	if err := queue.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { queue.Stop(context.Background()) })
	at := time.Now().Add(1500 * time.Millisecond)
	if err := stories.SetStoryStatus(ctx, st.ID, herald.StatusScheduled, at); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		got, err := stories.FindStoryByID(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == herald.StatusPublished {
			if time.Now().Before(at) {
				t.Fatalf("published at %v, before its time %v", time.Now(), at)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("scheduled story was not published by the queue within 15s")
}
