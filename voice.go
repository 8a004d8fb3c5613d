package cdpgraph

// A customer's recent sentiment is the mean sentiment (−1…1) of their feedback texts in
// the 365 days before the latest scoring date: Metrics.Trend.SentimentAvg, stored as
// sentimentAvg. It is the one number that makes a detractor or an advocate, wherever the
// question is asked: the detractors and advocates listings, the nearDetractor segment
// predicate and its precomputed hops, Voice.Detractor.
const (
	// DetractorSentiment: a recent sentiment at or below it makes a detractor.
	DetractorSentiment = -0.3
	// AdvocateSentiment: a recent sentiment at or above it makes an advocate.
	AdvocateSentiment = 0.3
)

// RecentSentiment is the customer's recent sentiment, nil until scored or without a text
// in the window.
func (m *Metrics) RecentSentiment() *float64 {
	if m == nil {
		return nil
	}
	return m.Trend.SentimentAvg
}

// IsDetractor reports whether a recent sentiment makes a detractor.
func IsDetractor(recent *float64) bool { return recent != nil && *recent <= DetractorSentiment }

// Voice is what a customer's feedback says, summarized for the 360 view.
type Voice struct {
	Feedback         int      // items, with or without text
	Scored           int      // items with a text, so a sentiment
	AverageSentiment *float64 // mean sentiment of every scored item, −1 to 1
	// RecentSentiment is the customer's recent sentiment (see DetractorSentiment), and
	// Detractor whether it makes a detractor.
	RecentSentiment *float64
	Detractor       bool
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
