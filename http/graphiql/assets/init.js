// Bootstraps the embedded GraphiQL IDE. Loaded as a separate file (not an inline script)
// so that the page's Content-Security-Policy can stay at script-src 'self'.
// The GraphQL endpoint comes from the data-endpoint attribute of #graphiql, the ready-made
// tabs (the README's tour) from data-tabs.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  if (!root) {
    return;
  }
  // Resolve the endpoint against the page's own URL, so "/graphql" (or "graphql", or an
  // absolute URL) works whatever host, port and scheme the page was reached through.
  var endpoint = new URL(root.getAttribute('data-endpoint') || '/graphql', window.location.href).href;
  var tour = [];
  try {
    tour = JSON.parse(root.getAttribute('data-tabs') || '[]') || [];
  } catch (e) {
    tour = [];
  }

  // Headers and tabs live in sessionStorage: they survive a reload but end with the browser
  // session, so an API key is not left on disk. Without sessionStorage (a sandboxed frame)
  // they live in memory.
  var storage = (function () {
    try {
      var s = window.sessionStorage;
      s.setItem('cdpgraph:probe', '1');
      s.removeItem('cdpgraph:probe');
      return s;
    } catch (e) {
      var m = {};
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(m, k) ? m[k] : null; },
        setItem: function (k, v) { m[k] = String(v); },
        removeItem: function (k) { delete m[k]; },
        clear: function () { m = {}; },
        key: function (i) { return Object.keys(m)[i] || null; },
        get length() { return Object.keys(m).length; }
      };
    }
  })();
  var HEADERS = 'cdpgraph:headers';

  // A link such as http://127.0.0.1:8080/#key=cdp_... (make run prints one) opens GraphiQL
  // signed in. The fragment never reaches the server, so the key stays out of its logs and
  // of Referer headers; it is removed from the address bar at once.
  var fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  var key = fragment.get('key');
  if (key) {
    fragment.delete('key');
    var rest = fragment.toString();
    window.history.replaceState(null, '', window.location.pathname + window.location.search + (rest ? '#' + rest : ''));
    storage.setItem(HEADERS, JSON.stringify({ Authorization: 'Bearer ' + key.trim() }, null, 2));
    // Tabs saved with another key (or none) would keep it: start from the tour again.
    for (var i = storage.length - 1; i >= 0; i--) {
      var k = storage.key(i);
      if (k && k.indexOf('graphiql:') === 0) {
        storage.removeItem(k);
      }
    }
  }
  var headers = storage.getItem(HEADERS) || '';

  var welcome = [
    '# Welcome to the cdpgraph GraphQL API.',
    '#',
    '# Queries typed here are sent to:',
    '#   ' + endpoint,
    '#'
  ].concat(headers ? [
    '# Your API key is in the Headers tab below; it stays for',
    '# this browser session only.'
  ] : [
    '# Every request needs an API key. Open the Headers tab',
    '# below the editor and add:',
    '#   {"Authorization": "Bearer cdp_..."}',
    '# The demo writes one key per role to data/demo-keys.env,',
    '# and `make run` prints a link that opens this page with',
    '# the admin key filled in. `cdpgraph keys create --role',
    '# admin --name me` makes a key. The schema (book icon,',
    '# top left) loads as soon as the headers hold a valid key.'
  ]).concat([
    '#',
    '# The other tabs are the README\'s tour, ready to run',
    '# (Ctrl-Enter; a tab with several operations asks which).',
    '#',
    '# Keyboard shortcuts:',
    '#   Run query:        Ctrl-Enter',
    '#   Prettify query:   Shift-Ctrl-P',
    '#   Autocomplete:     Ctrl-Space',
    '',
    '{ viewer { role subject } }',
    ''
  ]).join('\n');

  var tabs = [{ query: welcome, headers: headers }].concat(tour.map(function (t) {
    return { query: '# ' + t.title + '\n' + t.query + '\n', headers: headers };
  }));

  // The schema is fetched again whenever the headers change (a key pasted, switched or
  // fixed): GraphiQL introspects once per fetcher, so a new fetcher asks again, with the
  // header editor's current content.
  function normalized(text) {
    try {
      return JSON.stringify(JSON.parse(text || '{}'));
    } catch (e) {
      return null; // not JSON yet: the user is still typing
    }
  }

  function App() {
    var generation = React.useState(0);
    var fetcher = React.useMemo(function () {
      return GraphiQL.createFetcher({ url: endpoint });
    }, [generation[0]]);
    var last = React.useRef(normalized(headers));
    var timer = React.useRef(null);
    var onEditHeaders = React.useCallback(function (value) {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(function () {
        var n = normalized(value);
        if (n === null || n === last.current) {
          return;
        }
        last.current = n;
        storage.setItem(HEADERS, value);
        generation[1](function (g) { return g + 1; });
      }, 400);
    }, []);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: storage,
      shouldPersistHeaders: true,
      defaultTabs: tabs,
      defaultHeaders: headers,
      defaultEditorToolsVisibility: 'headers',
      onEditHeaders: onEditHeaders
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(App));
})();
