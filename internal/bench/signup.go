package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// server is `herald serve` running in a child.
type server struct {
	*proc
	base string
}

// serve starts `herald serve` with flags on a free loopback port and
// waits until it answers /healthz.
func (r *runner) serve(ctx context.Context, name string, flags []string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p, err := r.start(ctx, name, args([]string{"bench", "--phase", "serve"}, r.profileFlag(name),
		[]string{"--", "-addr", addr}, flags, quiet)...)
	if err != nil {
		return nil, err
	}
	s := &server{proc: p, base: "http://" + addr}
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err := p.exited(); err != nil {
			return nil, err
		}
		if resp, err := client.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, fmt.Errorf("%s: not serving after 3 minutes", name)
}

// signups posts the signup box with distinct addresses at Workers
// connections for a fixed time, then stops the server and checks that
// every accepted signup is stored.
func (r *runner) signups(ctx context.Context) ([]Figure, error) {
	var rates, p99s, durable []float64
	for i := range r.opts.Runs {
		name := fmt.Sprintf("signup-%d", i+1)
		st, err := r.freshStore(ctx, name)
		if err != nil {
			return nil, err
		}
		if _, err := r.run(ctx, name+" setup", args([]string{"bench", "--phase", "setup", "--recipients", "0"}, st.flags(), quiet)...); err != nil {
			return nil, err
		}
		srv, err := r.serve(ctx, name, args(st.flags(), []string{"-signups-per-ip", "100000000", "-check-domains", "off"}))
		if err != nil {
			return nil, err
		}
		accepted := make([][]string, Workers)
		l := runLoad(ctx, r.opts.PageTime, func(c *http.Client, w, seq int) error {
			email := fmt.Sprintf("signup-%d-%d-%d@example.com", i, w, seq)
			if err := postSignup(c, srv.base, email); err != nil {
				return err
			}
			accepted[w] = append(accepted[w], email)
			return nil
		})
		_, serr := srv.stop()
		var stored int
		var missing string
		err = errOr(l.check("POST /subscribe"), serr)
		if err == nil {
			stored, missing, err = countStored(st, accepted)
		}
		st.remove(context.WithoutCancel(ctx))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r.logf("signups, run %d/%d: %s accepted/s, p99 %.2f ms, %d of %d stored", i+1, r.opts.Runs,
			thousands(l.PerSecond()), l.Latency.quantileMS(0.99), stored, l.Requests)
		if missing != "" {
			r.logf("signups, run %d: %s was accepted but is not in the database", i+1, missing)
		}
		rates, p99s = append(rates, l.PerSecond()), append(p99s, l.Latency.quantileMS(0.99))
		durable = append(durable, float64(stored)/float64(l.Requests))
	}
	return []Figure{
		figure("signup", "accepted signups", "per s", rates).atLeast(1000, ""),
		figure("signup", "signup p99", "ms", p99s).atMost(50, ""),
		figure("signup", "accepted signups found in the database", "stored/accepted", durable).atLeast(1, ""),
	}, nil
}

// postSignup submits the signup box as its script does; only a 200
// answer counts as accepted.
func postSignup(c *http.Client, base, email string) error {
	form := url.Values{"email": {email}, "newsletter": {benchNewsletter}, "page": {"/"}}
	req, err := http.NewRequest("POST", base+"/subscribe", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return do(c, req)
}

// countStored opens the stopped server's database and counts how many of
// the accepted addresses are there (every one should be), and names one
// that is missing.
func countStored(st *store, accepted [][]string) (int, string, error) {
	have := map[string]bool{}
	err := queryStore(st, func(db *sql.DB) error {
		rows, err := db.Query(`SELECT email FROM subscribers`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var email string
			if err := rows.Scan(&email); err != nil {
				return err
			}
			have[strings.ToLower(email)] = true
		}
		return rows.Err()
	})
	stored, missing := 0, ""
	for _, emails := range accepted {
		for _, e := range emails {
			if have[e] {
				stored++
			} else if missing == "" {
				missing = e
			}
		}
	}
	return stored, missing, err
}
