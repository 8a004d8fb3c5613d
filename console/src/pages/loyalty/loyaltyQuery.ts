import { graphql } from '../../gql';
import type { LoyaltyPageQuery } from '../../gql/graphql';

// One query for the whole page: every panel reads precomputed scores, so it answers quickly.
export const LoyaltyQuery = graphql(`
  query LoyaltyPage($histogramBuckets: Int!) {
    scoringModel {
      version
      asOf
      computedAt
      live
      currency
      customers
      buyers
      unconvertedOrders
      notes
      horizonDays
      annualDiscount
      churnHorizonDays
      lastIncrementalAt
      bgnbd {
        name
        logLikelihood
        customers
        parameters {
          name
          value
          stdError
        }
      }
      gammaGamma {
        name
        logLikelihood
        customers
        parameters {
          name
          value
          stdError
        }
      }
      churn {
        method
        note
        trainCutoff
        testCutoff
        trainCustomers
        testCustomers
        trainChurnRate
        testChurnRate
        auc
        baselineAuc
        coefficients {
          name
          value
          stdError
        }
      }
    }
    rfmGrid {
      r
      f
      customers
      revenue
      segment
    }
    churnRiskDistribution {
      label
      low
      high
      customers
      revenue
    }
    churnRiskHistogram(buckets: $histogramBuckets) {
      label
      low
      high
      customers
      revenue
    }
    clvDistribution {
      label
      low
      high
      customers
      revenue
    }
    cohortRetention {
      month
      customers
      revenue
      retained
    }
  }
`);

export type ScoringModel = NonNullable<LoyaltyPageQuery['scoringModel']>;
export type ModelFit = NonNullable<ScoringModel['bgnbd']>;
export type ChurnModel = NonNullable<ScoringModel['churn']>;
export type Bucket = LoyaltyPageQuery['churnRiskHistogram'][number];
export type RfmCell = LoyaltyPageQuery['rfmGrid'][number];
export type Cohort = LoyaltyPageQuery['cohortRetention'][number];
