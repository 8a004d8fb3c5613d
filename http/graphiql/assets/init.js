// Bootstraps the embedded GraphiQL IDE. Loaded as a separate file (not an inline script)
// so that the page's Content-Security-Policy can stay at script-src 'self'.
// The GraphQL endpoint comes from the data-endpoint attribute of #graphiql.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  if (!root) {
    return;
  }
  // Resolve the endpoint against the page's own URL, so "/graphql" (or "graphql", or an
  // absolute URL) works whatever host, port and scheme the page was reached through.
  var endpoint = new URL(root.getAttribute('data-endpoint') || '/graphql', window.location.href).href;

  var defaultQuery = [
    '# Welcome to GraphiQL.',
    '#',
    '# Queries typed here are sent to:',
    '#   ' + endpoint,
    '#',
    '# The editor checks and autocompletes queries',
    '# against that endpoint\'s schema. The book icon',
    '# (top left) opens the schema documentation;',
    '# Variables and Headers are below the editor.',
    '#',
    '# Keyboard shortcuts:',
    '#   Run query:        Ctrl-Enter',
    '#   Prettify query:   Shift-Ctrl-P',
    '#   Merge fragments:  Shift-Ctrl-M',
    '#   Autocomplete:     Ctrl-Space',
    '',
    '{',
    '  __schema {',
    '    queryType {',
    '      name',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: true
    })
  );
})();
