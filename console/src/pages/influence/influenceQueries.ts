import { graphql } from '../../gql';

// What the graph needs of every customer it draws: the side panel reads these too, so
// selecting a node costs no request.
export const NeighbourhoodQuery = graphql(`
  query InfluenceNeighbourhood($customer: ID!, $hops: Int!, $maxNodes: Int!, $types: [String!], $since: Time) {
    neighbourhood(customer: $customer, hops: $hops, maxNodes: $maxNodes, types: $types, since: $since) {
      truncated
      nodes {
        id
        customerId
        profile {
          fullName
        }
        influence {
          score
          rank
          community {
            id
          }
        }
        metrics {
          churnBand
        }
      }
      edges {
        from {
          id
        }
        to {
          id
        }
        type
        count
        firstAt
        lastAt
      }
    }
  }
`);

// Asked once: the graph marks these customers.
export const MarkersQuery = graphql(`
  query InfluenceMarkers {
    advocates(first: 100) {
      nodes {
        id
      }
    }
    detractors(first: 100) {
      nodes {
        id
      }
    }
    vocabulary {
      tieTypes
    }
  }
`);

export const TopInfluencerQuery = graphql(`
  query TopInfluencer {
    influencers(orderBy: SCORE, first: 1) {
      nodes {
        id
      }
    }
  }
`);

export const InfluencersQuery = graphql(`
  query InfluencersTable($orderBy: InfluencerOrder!, $community: String, $first: Int!, $after: String) {
    scoringModel {
      currency
    }
    influencers(orderBy: $orderBy, community: $community, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        customerId
        profile {
          fullName
        }
        influence {
          score
          rank
          reach(hops: 2)
          referred
          downstream
          drivenRevenue
          downstreamRevenue
          community {
            id
          }
        }
      }
    }
  }
`);

export const CommunitiesQuery = graphql(`
  query CommunitiesTable($first: Int!) {
    scoringModel {
      currency
    }
    communities(first: $first) {
      id
      size
      revenue
      averageChurnRisk
      averageSentiment
      topMembers(first: 3) {
        id
        customerId
        profile {
          fullName
        }
      }
    }
  }
`);

export const PathQuery = graphql(`
  query InfluencePath($from: ID!, $to: ID!, $maxTies: Int!) {
    influencePath(from: $from, to: $to, maxTies: $maxTies) {
      tie
      direction
      customer {
        id
        customerId
        profile {
          fullName
        }
        influence {
          score
          rank
          community {
            id
          }
        }
        metrics {
          churnBand
        }
      }
    }
  }
`);
