package smtptest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// BareSend is the baseline benchmarks compare the sender with: go-smtp's
// client on conns connections to addr, sending data to to n times in all,
// one transaction after another, with nothing else in the way. It returns
// how long the sending took (dialling excluded).
func BareSend(addr string, conns, n int, from, to string, data []byte) (time.Duration, error) {
	clients := make([]*smtp.Client, conns)
	for i := range clients {
		c, err := smtp.Dial(addr)
		if err != nil {
			return 0, err
		}
		if err := c.Hello("herald.test"); err != nil {
			return 0, err
		}
		defer c.Quit()
		clients[i] = c
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, conns)
	start := time.Now()
	for w, c := range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if errs[w] = transact(c, from, to, data); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return elapsed, err
		}
	}
	return elapsed, nil
}

func transact(c *smtp.Client, from, to string, data []byte) error {
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(data))}); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write(data); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("end of data: %w", err)
	}
	return nil
}
