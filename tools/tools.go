//go:build tools

// Package tools pins the code generators the build uses, so `go run` finds them in go.mod.
package tools

import _ "github.com/99designs/gqlgen"
