import { graphql } from '../../gql';

// The 360 view's main request: everything but the identity picture, in one query.
export const Customer360Query = graphql(`
  query Customer360($id: ID!) {
    customer(id: $id) {
      id
      customerId
      createdAt
      updatedAt
      sources
      recordCount
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
      provenance {
        field
        source
        sourceId
      }
      identifierCount
      identifiers(first: 100) {
        type
        value
      }
      orders(first: 25) {
        totalCount
        nodes {
          id
          source
          sourceId
          orderedAt
          status
          channel
          total {
            amount
            currency
          }
          itemCount
          items(first: 10) {
            quantity
            lineTotal {
              amount
              currency
            }
            product {
              sku
              name
              category
            }
          }
        }
      }
      events(first: 40) {
        totalCount
        nodes {
          source
          type
          occurredAt
          channel
          sku
          query
          url
        }
      }
      feedback(first: 25) {
        totalCount
        nodes {
          source
          sourceId
          kind
          createdAt
          channel
          rating
          text
          status
          sku
          sentiment {
            score
            label
            language
            complaint
            aspects {
              aspect
              label
            }
          }
        }
      }
      metrics {
        asOf
        orders
        revenue
        clv
        churnRisk
        churnBand
        pAlive
        loyalty
        expectedPurchases90
        firstOrderAt
        lastOrderAt
        rfm {
          r
          f
          m
          code
          segment
        }
      }
      metricsHistory(first: 24) {
        asOf
        churnRisk
        clv
      }
      nextBestActions(includeSuppressed: true) {
        action
        channel
        reason
        priority
        suppressed
      }
      recommendations(first: 10) {
        sku
        score
        reason
        product {
          name
          category
        }
      }
      consents {
        purpose
        granted
        occurredAt
        source
      }
      consentHistoryCount
      consentHistory(first: 30) {
        purpose
        granted
        occurredAt
        source
      }
      segmentCount
      segments(first: 50) {
        id
        name
      }
      household {
        addressLine1
        city
        postcode
        country
        size
        members(first: 20) {
          id
          customerId
          profile {
            fullName
            givenName
            familyName
          }
        }
      }
      identityHistoryCount
      identityHistory(first: 30) {
        id
        kind
        at
        customerId
        otherCustomerId
        reason
        via
      }
    }
  }
`);

// The identity picture, asked for once the main view has rendered (it is below the fold).
export const CustomerIdentityQuery = graphql(`
  query CustomerIdentity($id: ID!) {
    customer(id: $id) {
      id
      recordCount
      sourceRecords(first: 100) {
        id
        source
        sourceId
        placeholder
        updatedAt
        profile {
          fullName
          email
          phone
          city
        }
        identifiers(first: 50) {
          type
          value
        }
      }
      recordLinks(first: 500) {
        from {
          id
          source
          sourceId
          customer {
            customerId
          }
        }
        to {
          id
          source
          sourceId
          customer {
            customerId
          }
        }
        kind
        probability
        reason
      }
    }
  }
`);

export const ExplainMatchQuery = graphql(`
  query ExplainMatch($a: ID!, $b: ID!) {
    explainMatch(recordA: $a, recordB: $b) {
      sameCustomer
      steps {
        rule
        score
        from {
          id
          source
          sourceId
        }
        to {
          id
          source
          sourceId
        }
        identifier {
          type
          value
        }
      }
    }
  }
`);

export const UnmergeMutation = graphql(`
  mutation Unmerge($records: [ID!]!, $reason: String) {
    unmerge(records: $records, reason: $reason) {
      customerId
    }
  }
`);

export const NotSamePersonMutation = graphql(`
  mutation NotSamePerson($a: ID!, $b: ID!, $reason: String) {
    markNotSamePerson(recordA: $a, recordB: $b, reason: $reason) {
      sameCustomer
    }
  }
`);

export const MergeCustomersMutation = graphql(`
  mutation MergeCustomers($ids: [ID!]!, $reason: String) {
    mergeCustomers(customerIds: $ids, reason: $reason) {
      customerId
    }
  }
`);
