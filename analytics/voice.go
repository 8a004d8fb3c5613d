package analytics

import (
	"math"
	"sort"

	cdp "github.com/cdpgraph/cdpgraph"
	"github.com/cdpgraph/cdpgraph/analytics/trend"
)

// Voice summarizes a customer's feedback: average and trend of sentiment, complaints and
// how each aspect fares; with the latest scores (nil: not scored), the recent sentiment
// that makes a detractor, so the 360 view shows the number the detractor listings use.
func Voice(feedback []*cdp.Feedback, latest *cdp.Metrics) *cdp.Voice {
	v := &cdp.Voice{Feedback: len(feedback), RecentSentiment: latest.RecentSentiment()}
	v.Detractor = cdp.IsDetractor(v.RecentSentiment)
	var xs, ys []float64
	aspects := map[string]*cdp.AspectSummary{}
	sum := 0.0
	for _, f := range feedback {
		complaint := f.Kind == "complaint" || (f.Sentiment != nil && f.Sentiment.Complaint)
		if complaint {
			v.Complaints++
			if v.LastComplaint == nil || f.CreatedAt.After(v.LastComplaint.CreatedAt) {
				v.LastComplaint = f
			}
		}
		if (f.Kind == "complaint" || f.Kind == "ticket") && f.Status == "open" {
			v.OpenComplaints++
		}
		s := f.Sentiment
		if s == nil {
			continue
		}
		v.Scored++
		sum += s.Score
		xs = append(xs, float64(f.CreatedAt.Unix())/(30*86400))
		ys = append(ys, s.Score)
		for _, a := range s.Aspects {
			as := aspects[a.Aspect]
			if as == nil {
				as = &cdp.AspectSummary{Aspect: a.Aspect}
				aspects[a.Aspect] = as
			}
			as.Mentions++
			as.AverageScore += a.Score
			if a.Label == "negative" {
				as.Negative++
			}
		}
	}
	if v.Scored > 0 {
		avg := round3(sum / float64(v.Scored))
		v.AverageSentiment = &avg
	}
	if v.Scored >= 3 {
		slope := round3(trend.Slope(xs, ys))
		v.Trend = &slope
	}
	for _, a := range aspects {
		a.AverageScore = round3(a.AverageScore / float64(a.Mentions))
		v.Aspects = append(v.Aspects, *a)
	}
	sort.Slice(v.Aspects, func(i, j int) bool {
		if v.Aspects[i].Mentions != v.Aspects[j].Mentions {
			return v.Aspects[i].Mentions > v.Aspects[j].Mentions
		}
		return v.Aspects[i].Aspect < v.Aspects[j].Aspect
	})
	return v
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
