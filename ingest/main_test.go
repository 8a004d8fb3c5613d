package ingest_test

import (
	"os"
	"testing"

	"github.com/cdpgraph/cdpgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }
