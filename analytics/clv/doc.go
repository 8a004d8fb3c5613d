// Package clv estimates customer lifetime value with the probability models
// of Fader, Hardie and Lee:
//
//   - the BG/NBD model of repeat purchasing ("Counting Your Customers the
//     Easy Way", Marketing Science 24(2), 2005), which gives the expected
//     number of future purchases and the probability that a customer is
//     still active;
//   - the Gamma-Gamma model of spend per transaction (Fader & Hardie,
//     "The Gamma-Gamma Model of Monetary Value", 2013);
//   - a discounted CLV that combines the two.
//
// The usual flow is: turn raw transactions into per-customer summaries with
// [Summarize], fit the models with [FitBGNBD] and [FitGammaGamma], then score
// customers with [BGNBD.ProbabilityAlive], [BGNBD.ConditionalExpectedPurchases]
// and [CLV]. [HoldoutCounts], [CompareHoldout] and [AUC] check the forecasts
// against a holdout period.
//
// Time is measured in "periods" of a caller-chosen length (CDNOW uses one
// week); all model parameters and horizons are in that unit. Purchases are
// counted per calendar day, as in the papers: several purchases by one
// customer on the same day are one transaction.
//
// Both fits are maximum likelihood on log-transformed parameters (so the
// search is unconstrained) with standard errors from the observed
// information matrix.
package clv
