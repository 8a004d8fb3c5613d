import { graphql } from '../gql';

/** What sign-in asks to learn who a key belongs to (every role may read it). */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      role
      subject
      partner
      sources
      rawPersonalData
    }
  }
`);
