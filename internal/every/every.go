// Package every runs background work on a fixed interval until its context ends.
package every

import (
	"context"
	"log/slog"
	"time"
)

// Tick calls f every interval until ctx ends. A failure is logged as what failed and the
// next tick tries again: background refreshes must outlive a database restart.
func Tick(ctx context.Context, interval time.Duration, log *slog.Logger, what string, f func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := f(ctx); err != nil && ctx.Err() == nil {
				log.Warn(what+" failed", "err", err)
			}
		}
	}
}
