// The segment pages' operations, in one place because the list, the builder and a saved
// segment's page share them (and their cache keys, for invalidation after a write).
import { graphql } from '../../gql';

export const VocabularyQuery = graphql(`
  query SegmentVocabulary {
    vocabulary {
      rfmSegments
      churnBands
      scoreFields
      profileFields
      profileOps
      identifierTypes
      categories
      eventTypes
      sources
      consentPurposes
      tieTypes
      actions
    }
    communities(first: 100) {
      id
      size
    }
    segments(first: 500) {
      id
      name
    }
    scoringModel {
      currency
    }
  }
`);

export const PreviewSegmentQuery = graphql(`
  query PreviewSegment($definition: SegmentDefinition!, $sample: Int!) {
    previewSegment(definition: $definition, sample: $sample) {
      count
      sample {
        id
        customerId
        profile {
          fullName
          city
          country
        }
        metrics {
          churnBand
          clv
          rfm {
            segment
          }
        }
      }
    }
  }
`);

export const SegmentsListQuery = graphql(`
  query SegmentsList {
    segments(first: 500) {
      id
      name
      description
      memberCount
      refreshedAt
      updatedAt
    }
    segmentCount
  }
`);

export const SegmentQuery = graphql(`
  query SegmentDetail($id: ID!) {
    segment(id: $id) {
      id
      name
      description
      definition
      memberCount
      refreshedAt
      createdAt
      updatedAt
    }
  }
`);

export const SegmentMembersQuery = graphql(`
  query SegmentMembers($id: ID!, $first: Int!, $after: String) {
    segment(id: $id) {
      id
      members(first: $first, after: $after) {
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
            city
            country
          }
          metrics {
            churnBand
            clv
            churnRisk
            rfm {
              segment
            }
          }
        }
      }
    }
  }
`);

export const SegmentHistoryQuery = graphql(`
  query SegmentHistory($id: ID!, $first: Int!) {
    segment(id: $id) {
      id
      history(first: $first) {
        totalCount
        nodes {
          kind
          at
        }
      }
    }
  }
`);

export const CreateSegmentMutation = graphql(`
  mutation CreateSegment($name: String!, $description: String, $definition: SegmentDefinition!) {
    createSegment(name: $name, description: $description, definition: $definition) {
      id
      name
      memberCount
    }
  }
`);

export const UpdateSegmentMutation = graphql(`
  mutation UpdateSegment($id: ID!, $name: String, $description: String, $definition: SegmentDefinition) {
    updateSegment(id: $id, name: $name, description: $description, definition: $definition) {
      id
      name
      memberCount
    }
  }
`);

export const DeleteSegmentMutation = graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id)
  }
`);

export const RefreshSegmentMutation = graphql(`
  mutation RefreshSegment($id: ID!) {
    refreshSegment(id: $id) {
      id
      memberCount
      refreshedAt
    }
  }
`);

export const PlanActionsMutation = graphql(`
  mutation PlanSegmentActions($segment: ID!, $action: String, $campaign: String) {
    planActions(segment: $segment, action: $action, campaign: $campaign) {
      customers
      planned
      suppressed
      noAction
    }
  }
`);
