package graphiql

import (
	"regexp"
	"strings"
)

// Tab is a ready-made GraphiQL tab: a title (shown as a comment on its first line) and a
// GraphQL document.
type Tab struct {
	Title string `json:"title"`
	Query string `json:"query"`
}

// TourSection is the README heading whose examples become tabs.
const TourSection = "## Five-minute tour"

var boldLead = regexp.MustCompile(`\*\*([^*]+)\*\*`)

// TourTabs returns the ```graphql blocks of the README's tour section in order, each
// titled with the bold words that introduce it ("**Find customers**, newest first").
// The tour test runs the same blocks against the demo company.
func TourTabs(readme string) []Tab {
	_, section, ok := strings.Cut(readme, "\n"+TourSection+"\n")
	if !ok {
		return nil
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var tabs []Tab
	title := "Tour"
	lines := strings.Split(section, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := boldLead.FindStringSubmatch(line); m != nil && !strings.HasPrefix(line, "```") {
			title = strings.TrimRight(strings.TrimSpace(m[1]), ":.")
		}
		if strings.TrimSpace(line) != "```graphql" {
			continue
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		tabs = append(tabs, Tab{Title: title, Query: strings.Join(body, "\n")})
	}
	return tabs
}
