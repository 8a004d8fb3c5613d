package cdpgraph

// Related names the lists a request reads with each customer it looks up or lists, so the
// store can read them in the statement that reads the customers: one statement per root
// field instead of one per child field (PostGraphile's look-ahead, for a graph). A nil field
// was not asked for. Pages read this way start at the beginning (no cursor): a request
// that pages further is served by the per-field loaders.
type Related struct {
	Identifiers     *ListArgs
	Orders          *ListArgs
	Events          *EventListArgs
	Feedback        *ListArgs
	ConsentHistory  *ListArgs
	CurrentConsents bool
}

// ListArgs asks for the first First items of a list and, with Count, how many it holds.
type ListArgs struct {
	First int
	Count bool
}

// EventListArgs is ListArgs for events of some types ("" or nil: all types).
type EventListArgs struct {
	ListArgs
	Types []string
}

// Empty reports whether nothing is asked beyond the customers themselves.
func (r Related) Empty() bool {
	return r.Identifiers == nil && r.Orders == nil && r.Events == nil && r.Feedback == nil &&
		r.ConsentHistory == nil && !r.CurrentConsents
}

// CustomerWith is a customer with the related lists a request asked for (nil when not asked).
// TotalCount of a page is only set when its ListArgs asked for the count.
type CustomerWith struct {
	*Customer
	Identifiers     *Page[Identifier]
	Orders          *Page[*Order]
	Events          *Page[*Event]
	Feedback        *Page[*Feedback]
	ConsentHistory  *Page[Consent]
	CurrentConsents []Consent
}
