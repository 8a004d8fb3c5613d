package recommend

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cdpgraph/cdpgraph/internal/every"
)

// Source reads purchases and views.
type Source interface {
	Interactions(ctx context.Context, since time.Time) ([]Interaction, error)
}

// Service keeps a model trained on the graph's recent history and answers from it; the
// model is retrained in the background, so a request never waits for training.
type Service struct {
	Source Source
	Config Config
	// History is how far back interactions are read.
	History time.Duration
	Log     *slog.Logger

	model atomic.Pointer[Model]
}

// NewService returns a service reading two years of history.
func NewService(src Source, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Source: src, History: 2 * 365 * 24 * time.Hour, Log: log}
}

// Retrain reads the history and replaces the model.
func (s *Service) Retrain(ctx context.Context) error {
	start := time.Now()
	in, err := s.Source.Interactions(ctx, time.Now().Add(-s.History))
	if err != nil {
		return err
	}
	m := Train(in, s.Config)
	s.model.Store(m)
	st := m.Stats()
	s.Log.Info("recommender trained", "customers", st.Customers, "products", st.Products, "interactions", st.Interactions,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Recommend returns up to n products for a customer; nil before the first training.
func (s *Service) Recommend(customer string, n int) []Recommendation {
	m := s.model.Load()
	if m == nil {
		return nil
	}
	return m.Recommend(customer, n)
}

// Watch trains at once and then every interval until ctx ends.
func (s *Service) Watch(ctx context.Context, interval time.Duration) {
	for {
		if err := every.Run(ctx, "recommender training", s.Retrain); err != nil && ctx.Err() == nil {
			s.Log.Warn("recommender training failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
