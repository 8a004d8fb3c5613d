import { graphql } from '../../gql';

export const ReviewQueueQuery = graphql(`
  query ReviewQueue($first: Int!, $after: String) {
    reviewQueue(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        probability
        evidence {
          field
          level
          similarity
          weight
        }
        recordA {
          ...ReviewRecord
        }
        recordB {
          ...ReviewRecord
        }
      }
    }
    matchModel {
      priorAcrossSources
      priorWithinSource
      matchProbability
      reviewProbability
    }
  }
  fragment ReviewRecord on SourceRecord {
    id
    source
    sourceId
    updatedAt
    customer {
      id
      customerId
    }
    identifiers(first: 20) {
      type
      value
    }
    profile {
      givenName
      familyName
      fullName
      email
      phone
      birthDate
      gender
      addressLine1
      addressLine2
      city
      region
      postcode
      country
    }
  }
`);

export const DecideReviewMutation = graphql(`
  mutation DecideReview($recordA: ID!, $recordB: ID!, $samePerson: Boolean!, $reason: String) {
    decideReview(recordA: $recordA, recordB: $recordB, samePerson: $samePerson, reason: $reason) {
      sameCustomer
    }
  }
`);

export const FlaggedIdentifiersQuery = graphql(`
  query FlaggedIdentifiers($first: Int!, $after: String) {
    flaggedIdentifiers(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        identifier {
          type
          value
        }
        records
        limit
        reason
      }
    }
  }
`);

export const MatchModelQuery = graphql(`
  query MatchModel {
    matchModel {
      fittedAt
      candidatePairs
      priorAcrossSources
      priorWithinSource
      matchProbability
      reviewProbability
      blockingKeys
      fields {
        field
        method
        levels {
          level
          m
          u
          weight
          pairs
        }
      }
    }
  }
`);
