package compare

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/neo4j/baseline"
)

// runRaw serves the raw baseline: GET /w1?id=, /w2, /w3?city=, /w4, /w5?type=&value=, /w6,
// /w7?id=, each one hand-written statement (neo4j/baseline) in one read transaction
// through the Go driver, rows encoded as JSON: the same HTTP and JSON steps as the GraphQL
// servers, none of the GraphQL ones.
func runRaw(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench compare raw", flag.ContinueOnError)
	addr := fs.String("addr", envOr("RAW_ADDR", "127.0.0.1:4001"), "listen address [RAW_ADDR]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	mux := http.NewServeMux()
	for _, w := range workloads {
		query := baseline.Raw[w.name]
		mux.HandleFunc("/"+w.name, func(rw http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			params := map[string]any{}
			for k := range q {
				params[k] = q.Get(k)
			}
			if w.name == "w5" {
				params["purposes"] = anys(cdp.ConsentPurposes)
			}
			rows, err := db.Rows(r.Context(), query, params)
			rw.Header().Set("Content-Type", "application/json")
			if err != nil {
				rw.WriteHeader(http.StatusInternalServerError)
				json.NewEncoder(rw).Encode(map[string]any{"error": err.Error()})
				return
			}
			json.NewEncoder(rw).Encode(map[string]any{"rows": rows})
		})
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("raw baseline on http://%s (%s)", *addr, strings.Join(names(workloads), ", "))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("raw baseline: %w", err)
	}
	return nil
}

func names(ws []*workload) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.name
	}
	return out
}
