package jobs

import (
	"context"
	"time"

	"github.com/herald-news/herald"
	"github.com/riverqueue/river"
)

// PublishStoryArgs marks one scheduled story published at its time.
type PublishStoryArgs struct {
	StoryID int64 `json:"story_id"`
}

// Kind names the job kind in the queue.
func (PublishStoryArgs) Kind() string { return "publish_story" }

type publishStoryWorker struct {
	river.WorkerDefaults[PublishStoryArgs]
	stories herald.StoryService
	clock   herald.Clock
}

// Work publishes the story, or snoozes until its time when the story was
// rescheduled later or this node's clock is behind.
func (w *publishStoryWorker) Work(ctx context.Context, job *river.Job[PublishStoryArgs]) error {
	st, err := w.stories.FindStoryByID(ctx, job.Args.StoryID)
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	now := w.clock.Now()
	if st.Status != herald.StatusScheduled {
		return nil
	}
	if wait := st.PublishedAt.Sub(now); wait > 0 {
		return river.JobSnooze(wait)
	}
	_, err = w.stories.PublishDueStories(ctx, now)
	return err
}

// PublishDueArgs publishes every scheduled story whose time has come; it
// runs periodically as a safety net.
type PublishDueArgs struct{}

// Kind names the job kind in the queue.
func (PublishDueArgs) Kind() string { return "publish_due_stories" }

type publishDueWorker struct {
	river.WorkerDefaults[PublishDueArgs]
	stories herald.StoryService
	clock   herald.Clock
}

// Work publishes due stories.
func (w *publishDueWorker) Work(ctx context.Context, _ *river.Job[PublishDueArgs]) error {
	_, err := w.stories.PublishDueStories(ctx, w.clock.Now())
	return err
}

// Timeout bounds one run; publishing is a single UPDATE.
func (w *publishDueWorker) Timeout(*river.Job[PublishDueArgs]) time.Duration { return 30 * time.Second }
