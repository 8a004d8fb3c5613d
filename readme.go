package cdpgraph

import _ "embed" // the README ships in the binary

// README is this repository's README.md. GraphiQL offers its tour's examples as ready
// tabs, and a test runs the same examples against the demo company, so that what the
// README shows and what the IDE offers are one text, and true.
//
//go:embed README.md
var README string
