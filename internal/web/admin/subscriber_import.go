package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
)

// Imports run in the background on the node that took the file, their
// state kept in the database for keepImports after it last changed. A
// restart stops a running import (rows already imported stay; importing
// the file again is safe, as an import never duplicates or resubscribes
// anyone).
const (
	keepImports    = time.Hour // how long a finished import's report stays
	maxImportBytes = 200 << 20
	shownRowErrors = 200
)

// importJob is one import running on this node: its progress, saved to
// the database (at most every saveEvery, and when it ends) so that the
// progress page works on every web node.
type importJob struct {
	ID, File, Newsletter, By string
	Confirmed                bool
	Started                  time.Time

	mu       sync.Mutex
	progress subscriberio.Progress
	report   subscriberio.Report
	err      string
	finished time.Time
	saved    time.Time // when the state was last saved
}

// saveEvery is how often a running import's progress is saved.
const saveEvery = 500 * time.Millisecond

// importRecord is what is stored of an import: the view, and the rows it
// refused (which the view leaves out of its JSON).
type importRecord struct {
	View       importView              `json:"view"`
	Errors     []subscriberio.RowError `json:"errors,omitempty"`
	MoreErrors int                     `json:"more_errors,omitempty"`
}

// importView is what the progress page and its script show.
type importView struct {
	ID         string                  `json:"id"`
	File       string                  `json:"file"`
	Newsletter string                  `json:"newsletter"`
	Confirmed  bool                    `json:"confirmed"`
	Percent    int64                   `json:"percent"`
	Rows       int64                   `json:"rows"`
	Added      int64                   `json:"added"`
	Bad        int64                   `json:"bad"`
	Done       bool                    `json:"done"`
	Error      string                  `json:"error,omitempty"`
	Report     *subscriberio.Report    `json:"report,omitempty"`
	Errors     []subscriberio.RowError `json:"-"`
	MoreErrors int                     `json:"-"` // bad rows not listed
}

// record is the job's state to store; the caller holds job.mu.
func (job *importJob) record() importRecord {
	p := job.progress
	v := importView{ID: job.ID, File: job.File, Newsletter: job.Newsletter, Confirmed: job.Confirmed, Rows: p.Rows,
		Added: p.Changed, Bad: p.Bad, Done: !job.finished.IsZero(), Error: job.err}
	if p.TotalBytes > 0 {
		v.Percent = min(99, p.Bytes*100/p.TotalBytes)
	}
	rec := importRecord{}
	if v.Done {
		v.Percent = 100
		rep := job.report
		rec.Errors = rep.Errors[:min(len(rep.Errors), shownRowErrors)]
		rep.Errors = nil // kept once, in rec.Errors
		v.Report = &rep
		rec.MoreErrors = rep.Bad - len(rec.Errors)
	}
	rec.View = v
	return rec
}

// save stores the job's state; the caller holds job.mu.
func (h *Handler) saveImport(ctx context.Context, job *importJob) {
	data, err := json.Marshal(job.record())
	if err == nil {
		err = h.ImportStates.Save(ctx, job.ID, data)
	}
	if err != nil {
		h.Logger.Error("admin: save import progress", "import", job.ID, "err", err)
	}
	job.saved = h.Clock.Now()
}

type importFormData struct {
	Newsletters        []*herald.Newsletter
	Newsletter, Source string
	Confirmed          bool
	Error              string
	MaxMB              int
}

func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	h.renderImportForm(w, r, http.StatusOK, importFormData{})
}

func (h *Handler) renderImportForm(w http.ResponseWriter, r *http.Request, status int, d importFormData) {
	var err error
	if d.Newsletters, err = h.Newsroom.Newsletters(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	d.MaxMB = maxImportBytes >> 20
	h.render(w, r, status, "subscriber_import", "Import subscribers", d)
}

// importStart checks the form, keeps the uploaded file and starts the
// import in the background, then shows its progress.
func (h *Handler) importStart(w http.ResponseWriter, r *http.Request) {
	d := importFormData{Newsletter: r.PostFormValue("newsletter"), Confirmed: r.PostFormValue("confirmed") != "",
		Source: strings.TrimSpace(r.PostFormValue("source"))}
	refuse := func(msg string) {
		d.Error = msg
		h.renderImportForm(w, r, http.StatusUnprocessableEntity, d)
	}
	nl, err := h.Newsroom.FindNewsletter(r.Context(), d.Newsletter)
	if err != nil {
		refuse("Choose the newsletter to import into.")
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		refuse("Choose a CSV file to import.")
		return
	}
	defer file.Close()
	switch {
	case header.Size == 0:
		refuse("That file is empty.")
		return
	case header.Size > maxImportBytes:
		refuse("That file is too large: split it into files under " + herald.FormatCount(maxImportBytes>>20) + " MB.")
		return
	case d.Confirmed && d.Source == "":
		refuse("Say where these people confirmed (for example “Mailchimp list, double opt-in”): it is kept with each consent record.")
		return
	}
	path, err := keepUpload(file)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	user := currentUser(r)
	name := filepath.Base(header.Filename)
	source := "import:" + name + " by " + user.Email
	if d.Confirmed {
		source += "; confirmed: " + d.Source
	}
	job := &importJob{ID: newImportID(), File: name, Newsletter: nl.Name, By: user.Email, Confirmed: d.Confirmed,
		Started: h.Clock.Now()}
	if err := h.ImportStates.Forget(r.Context(), h.Clock.Now().Add(-keepImports)); err != nil {
		h.Logger.Warn("admin: forget old imports", "err", err)
	}
	job.mu.Lock()
	h.saveImport(r.Context(), job) // the progress page finds it at once
	job.mu.Unlock()
	go h.runImport(context.WithoutCancel(r.Context()), job, path, header.Size, nl.Slug, source)
	h.Logger.Info("admin: import started", "import", job.ID, "newsletter", nl.Slug, "file", name, "by", user.Email)
	http.Redirect(w, r, "/admin/subscribers/imports/"+job.ID, http.StatusSeeOther)
}

// keepUpload copies an upload to a file of our own: the server removes
// its temporary files when the request ends, before the import does.
func keepUpload(src io.Reader) (string, error) {
	f, err := os.CreateTemp("", "herald-import-*.csv")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

func newImportID() string {
	b := make([]byte, 9)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (h *Handler) runImport(ctx context.Context, job *importJob, path string, size int64, slug, source string) {
	defer os.Remove(path)
	var report subscriberio.Report
	f, err := os.Open(path)
	if err == nil {
		_, report, err = h.Importer.ImportSubscribers(ctx, f, size, slug, job.Confirmed, source, func(p subscriberio.Progress) {
			job.mu.Lock()
			defer job.mu.Unlock()
			job.progress = p
			if h.Clock.Now().Sub(job.saved) >= saveEvery {
				h.saveImport(ctx, job)
			}
		})
		f.Close()
	}
	job.mu.Lock()
	defer job.mu.Unlock()
	job.report, job.finished = report, h.Clock.Now()
	defer h.saveImport(ctx, job)
	if err != nil {
		job.err = herald.ErrorMessage(err)
		h.Logger.Warn("admin: import failed", "import", job.ID, "err", err)
		return
	}
	h.Logger.Info("admin: import finished", "import", job.ID, "rows", report.Rows, "changed", report.Changed, "bad", report.Bad)
}

// importStatus shows an import's progress and, once done, its report;
// its script asks for the same URL as JSON until the import ends.
func (h *Handler) importStatus(w http.ResponseWriter, r *http.Request) {
	data, err := h.ImportStates.Find(r.Context(), r.PathValue("id"))
	if herald.ErrorCode(err) == herald.ENOTFOUND {
		err = herald.Errorf(herald.ENOTFOUND, "There is no such import: imports are kept for an hour after they end.")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var rec importRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		h.fail(w, r, fmt.Errorf("admin: import %s: %w", r.PathValue("id"), err))
		return
	}
	v := rec.View
	v.Errors, v.MoreErrors = rec.Errors, rec.MoreErrors
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, v)
		return
	}
	h.render(w, r, http.StatusOK, "subscriber_import_status", "Import of "+v.File, v)
}
