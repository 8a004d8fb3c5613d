import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the server's schema. String mode: each graphql() call becomes a
// TypedDocumentString (the query text plus its result and variable types), so the bundle
// carries no GraphQL parser or client runtime.
const config: CodegenConfig = {
  schema: '../schema/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        // Time is RFC 3339 on the wire; pages parse it where they need a Date.
        scalars: { Time: 'string', ID: 'string' },
        avoidOptionals: false,
        skipTypename: true,
      },
    },
  },
};

export default config;
