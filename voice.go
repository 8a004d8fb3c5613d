package cdpgraph

// Voice is what a customer's feedback says, summarized for the 360 view.
type Voice struct {
	Feedback         int      // items, with or without text
	Scored           int      // items with a text, so a sentiment
	AverageSentiment *float64 // mean sentiment, −1 to 1
	// Trend is the least-squares change in sentiment per 30 days over the scored items;
	// negative means the customer is getting unhappier. Nil with fewer than three.
	Trend          *float64
	Complaints     int // complaints, and other feedback the model flags as a complaint
	OpenComplaints int // complaints and tickets not yet resolved
	LastComplaint  *Feedback
	Aspects        []AspectSummary // most mentioned first
}

// AspectSummary is how a customer feels about one aspect across their feedback.
type AspectSummary struct {
	Aspect       string
	Mentions     int
	Negative     int
	AverageScore float64
}
