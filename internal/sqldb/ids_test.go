package sqldb_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
)

// Erasing the newest reader, deleting the newest story or send, never
// hands its id to the next row.
func TestIDsOfDeletedRowsAreNeverReused(t *testing.T) {
	s := mustSubscribers(t)
	ctx := context.Background()
	s.signup(t, "first@example.com", s.am)
	s.signup(t, "newest@example.com", s.am)
	newest, err := s.subs.FindSubscriberByEmail(ctx, "newest@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.subs.Delete(ctx, "newest@example.com"); err != nil {
		t.Fatal(err)
	}
	s.signup(t, "next@example.com", s.am)
	next, err := s.subs.FindSubscriberByEmail(ctx, "next@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if next.ID <= newest.ID {
		t.Errorf("the next reader got id %d after %d was erased", next.ID, newest.ID)
	}
	if next.LinkKey == "" || next.LinkKey == newest.LinkKey || len(next.LinkKey) != 10 {
		t.Errorf("link keys %q then %q", newest.LinkKey, next.LinkKey)
	}
}

// Every SQLite table keyed by an integer id declares AUTOINCREMENT, so a
// future table cannot bring id reuse back unnoticed.
func TestEverySQLiteIntegerKeyIsAutoincrement(t *testing.T) {
	if sqldbtest.Dialect() != "sqlite" {
		t.Skip("PostgreSQL identity columns never reuse ids")
	}
	db := sqldbtest.MustOpen(t)
	rows, err := db.SQL().Query(`SELECT s.name, s.sql FROM sqlite_schema s JOIN pragma_table_list l
		ON l.name = s.name AND l.schema = 'main' AND l.type = 'table' WHERE s.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		upper := strings.ToUpper(def)
		if strings.Contains(upper, "INTEGER PRIMARY KEY") && !strings.Contains(upper, "CHECK (ID = 1)") {
			checked++
			if !strings.Contains(upper, "INTEGER PRIMARY KEY AUTOINCREMENT") {
				t.Errorf("table %s may reuse ids: %s", name, def)
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d tables with integer ids found", checked)
	}
}

// A database written by a Herald from before migration 11 keeps every row,
// foreign key, index, trigger and search entry through it; its readers keep
// an empty link key (the links they were mailed carry none) and new ones
// get their own.
func TestUpgradeToNeverReusedIDsKeepsEveryRow(t *testing.T) {
	if sqldbtest.Dialect() != "sqlite" {
		t.Skip("the rebuild is SQLite's")
	}
	ctx := context.Background()
	db, err := sqldb.Open(filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO newsletters (id, slug, name, time_zone) VALUES (1, 'am', 'AM', 'UTC')`,
		`INSERT INTO subscribers (id, email, email_key, created_at) VALUES (1, 'a@example.com', 'a@example.com', CURRENT_TIMESTAMP)`,
		`INSERT INTO subscribers (id, email, email_key, created_at) VALUES (2, 'b@example.com', 'b@example.com', CURRENT_TIMESTAMP)`,
		`INSERT INTO subscriptions (subscriber_id, newsletter_id, status, created_at, updated_at) VALUES (2, 1, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
		`INSERT INTO sections (id, slug, name) VALUES (1, 'world', 'World')`,
		`INSERT INTO stories (id, slug, headline, kind, body, section_id, status, created_at, modified_at)
			VALUES (5, 'tram', 'Tram line opens', 'news', 'The tram reaches the harbour.', 1, 'published', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	subs := sqldb.NewSubscriberService(db)
	b, err := subs.FindSubscriber(ctx, 2)
	if err != nil || b.Email != "b@example.com" || len(b.Subscriptions) != 1 || b.LinkKey != "" {
		t.Fatalf("reader after the upgrade: %+v %v", b, err)
	}
	var hits int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM story_search WHERE story_search MATCH 'harbour'`).Scan(&hits); err != nil || hits != 1 {
		t.Errorf("search after the upgrade: %d hits, %v", hits, err)
	}
	// The triggers came back with the table: an edit reaches the index.
	if _, err := db.SQL().ExecContext(ctx, `UPDATE stories SET body = 'The tram reaches the ferry.' WHERE id = 5`); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM story_search WHERE story_search MATCH 'ferry'`).Scan(&hits); err != nil || hits != 1 {
		t.Errorf("search after an edit: %d hits, %v", hits, err)
	}
	// Foreign keys still hold and still cascade.
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, newsletter_id, status, created_at, updated_at)
		VALUES (99, 1, 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`); err == nil {
		t.Error("a subscription of no one was accepted")
	}
	if err := subs.Delete(ctx, "b@example.com"); err != nil {
		t.Fatal(err)
	}
	var left int
	db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions`).Scan(&left)
	if left != 0 {
		t.Errorf("%d subscriptions outlived their reader", left)
	}
	var id int64
	var key string
	if err := db.SQL().QueryRowContext(ctx, `INSERT INTO subscribers (email, email_key, created_at)
		VALUES ('c@example.com', 'c@example.com', CURRENT_TIMESTAMP) RETURNING id, link_key`).Scan(&id, &key); err != nil {
		t.Fatal(err)
	}
	if id != 3 || len(key) != 10 {
		t.Errorf("the next reader after erasing the newest: id %d key %q, want 3 and a fresh key", id, key)
	}
}
