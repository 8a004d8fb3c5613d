// Command inlineslices rewrites gqlgen's generated executor so that lists of objects whose
// fields all resolve without a resolver (an identifier, an order line, money) marshal in the
// calling goroutine instead of one goroutine per item. gqlgen starts a goroutine for every
// list item of every object type; for such leaf objects nothing can run concurrently, and
// starting and growing those goroutines' stacks was about a quarter of the server's CPU on
// a page of customers. Lists of objects with resolver fields keep gqlgen's concurrency,
// which the loaders' batching relies on.
//
// `make generate` runs it after gqlgen; with -check it only reports whether a file would
// change (a test runs that, so a regeneration without it fails).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	dir := flag.String("dir", "graph", "directory of the generated executor")
	check := flag.Bool("check", false, "only report files that would change; exit 1 if any")
	flag.Parse()
	changed, err := Rewrite(*dir, !*check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "inlineslices:", err)
		os.Exit(2)
	}
	if *check && len(changed) > 0 {
		fmt.Fprintf(os.Stderr, "inlineslices: %s not rewritten; run make generate\n", strings.Join(changed, ", "))
		os.Exit(1)
	}
}

// concurrentCall is gqlgen's per-item goroutine call, with its worker limit and panic flag.
var concurrentCall = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (true|false), `)

// Rewrite rewrites the *.generated.go files of dir (when write is set) and returns the
// names of the files that change.
func Rewrite(dir string, write bool) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.generated.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	src := map[string][]byte{}
	funcs := map[string]*ast.FuncDecl{} // executionContext methods by name
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		af, err := parser.ParseFile(fset, f, b, 0)
		if err != nil {
			return nil, err
		}
		parsed[f], src[f] = af, b
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Body != nil {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	leaf := leafMarshalers(funcs)
	var changed []string
	for _, f := range files {
		out := rewriteFile(fset, parsed[f], src[f], leaf)
		if bytes.Equal(out, src[f]) {
			continue
		}
		formatted, err := format.Source(out)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		changed = append(changed, filepath.Base(f))
		if write {
			if err := os.WriteFile(f, formatted, 0o644); err != nil {
				return nil, err
			}
		}
	}
	return changed, nil
}

// leafMarshalers reports, for each method, whether everything it marshals resolves without
// a resolver: nothing it calls, directly or through field and marshal methods, is an
// object method `_X` whose fields resolve concurrently.
func leafMarshalers(funcs map[string]*ast.FuncDecl) map[string]bool {
	concurrent := map[string]bool{}
	for name, fd := range funcs {
		if strings.HasPrefix(name, "_") && !strings.Contains(name[1:], "_") {
			concurrent[name] = calls(fd, func(sel string) bool { return sel == "ResolveConcurrently" || sel == "Concurrently" })
		}
	}
	memo := map[string]bool{}
	var leafOf func(name string) bool
	leafOf = func(name string) bool {
		if v, ok := memo[name]; ok {
			return v
		}
		if concurrent[name] {
			memo[name] = false
			return false
		}
		memo[name] = true // in progress: a cycle of leaves is a leaf
		ok := !calls(funcs[name], func(sel string) bool { return funcs[sel] != nil && !leafOf(sel) })
		memo[name] = ok
		return ok
	}
	out := map[string]bool{}
	for name := range funcs {
		out[name] = leafOf(name)
	}
	return out
}

// calls reports whether fd calls a method ec.X or out.X for which match(X) holds.
func calls(fd *ast.FuncDecl, match func(string) bool) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if s, ok := c.Fun.(*ast.SelectorExpr); ok && match(s.Sel.Name) {
				found = true
			}
		}
		return !found
	})
	return found
}

// rewriteFile replaces gqlgen's concurrent call in the slice marshalers whose items are leaves.
func rewriteFile(fset *token.FileSet, f *ast.File, src []byte, leaf map[string]bool) []byte {
	type edit struct{ from, to int }
	var edits []edit
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Body == nil || !strings.HasPrefix(fd.Name.Name, "marshal") || !strings.Contains(fd.Name.Name, "ᚕ") {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			s, ok := c.Fun.(*ast.SelectorExpr)
			if !ok || s.Sel.Name != "MarshalSliceConcurrently" || len(c.Args) != 5 {
				return true
			}
			lit, ok := c.Args[4].(*ast.FuncLit)
			if !ok || !itemsAreLeaves(lit, leaf) {
				return true
			}
			edits = append(edits, edit{fset.Position(c.Pos()).Offset, fset.Position(lit.Pos()).Offset})
			return false
		})
	}
	if len(edits) == 0 {
		return src
	}
	var b bytes.Buffer
	last := 0
	for _, e := range edits {
		call := string(src[e.from:e.to])
		m := concurrentCall.FindStringSubmatch(call)
		if m == nil {
			continue
		}
		b.Write(src[last:e.from])
		fmt.Fprintf(&b, "marshalSliceInline(ctx, len(v), %s, ", m[1])
		last = e.to
	}
	b.Write(src[last:])
	return b.Bytes()
}

// itemsAreLeaves reports whether the per-item function only calls leaf marshalers.
func itemsAreLeaves(lit *ast.FuncLit, leaf map[string]bool) bool {
	any, all := false, true
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if s, ok := c.Fun.(*ast.SelectorExpr); ok {
				if v, known := leaf[s.Sel.Name]; known {
					any = true
					all = all && v
				}
			}
		}
		return true
	})
	return any && all
}
