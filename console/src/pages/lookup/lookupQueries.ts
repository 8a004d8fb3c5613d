import { graphql } from '../../gql';

// What a frontend app or a partner may read of a customer (schema @auth): the common part,
// plus orders and next-best actions for frontends, scores and segment names for partners.
// The role parts are @include'd, so a role never asks for a field it would be refused.
export const LookupCustomerFragment = graphql(`
  fragment LookupCustomer on Customer {
    id
    customerId
    createdAt
    updatedAt
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
    identifierCount
    identifiers(first: 50) {
      type
      value
    }
    consents {
      purpose
      granted
      occurredAt
      source
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
    orders(first: 10) @include(if: $frontend) {
      totalCount
      nodes {
        id
        orderedAt
        status
        channel
        itemCount
        total {
          amount
          currency
        }
      }
    }
    nextBestActions @include(if: $frontend) {
      action
      channel
      reason
      suppressed
    }
    metrics @include(if: $partner) {
      asOf
      churnBand
      churnRisk
      clv
      loyalty
      pAlive
      rfm {
        segment
      }
    }
    segmentCount @include(if: $partner)
    segments(first: 50) @include(if: $partner) {
      id
      name
    }
  }
`);

export const LookupByIdQuery = graphql(`
  query LookupById($id: ID!, $frontend: Boolean!, $partner: Boolean!) {
    customer(id: $id) {
      ...LookupCustomer
    }
  }
`);

export const LookupByIdentifierQuery = graphql(`
  query LookupByIdentifier($type: IdentifierType!, $value: String!, $frontend: Boolean!, $partner: Boolean!) {
    customerByIdentifier(type: $type, value: $value) {
      ...LookupCustomer
    }
  }
`);
