// Loyalty & churn and the influence explorer: what they draw equals what the API answers.
import assert from 'node:assert/strict';
import { api, pageTest, signIn, waitReady, screenshot } from './lib.mjs';

const NODE_FIELDS = 'nodes { id } edges { from { id } to { id } type }';

async function graphCounts(page) {
  const el = page.getByTestId('influence-graph');
  return { nodes: Number(await el.getAttribute('data-nodes')), edges: Number(await el.getAttribute('data-edges')) };
}

// Waits for the graph to settle at the wanted counts (a layout runs after every change);
// want is { nodes, edges } (exact) or { minNodes }.
async function waitGraph(page, want) {
  await page.waitForFunction(
    (w) => {
      const el = document.querySelector('[data-testid="influence-graph"]');
      const root = document.querySelector('[data-testid="page-influence"]');
      if (!el || root?.getAttribute('data-ready') !== 'true') return false;
      const nodes = Number(el.getAttribute('data-nodes'));
      const edges = Number(el.getAttribute('data-edges'));
      return (w.nodes === undefined || nodes === w.nodes) && (w.edges === undefined || edges === w.edges) && (w.minNodes === undefined || nodes >= w.minNodes);
    },
    want,
    { timeout: 20_000 },
  );
  return graphCounts(page);
}

pageTest('loyalty: the heatmap, histogram and model report show the API numbers; a cell lists its customers', async ({ page }) => {
  const data = await api(
    'analyst',
    `{ rfmGrid { r f customers revenue segment } churnRiskHistogram(buckets: 20) { customers }
       scoringModel { buyers customers asOf churn { auc baselineAuc } } }`,
  );
  const start = Date.now();
  await signIn(page, 'analyst', { route: '/loyalty' });
  await waitReady(page);
  console.log(`loyalty page ready ${Date.now() - start} ms after sign-in started`);
  await assert.equal(await page.getByTestId('error-box').count(), 0);

  const cells = await page.getByTestId('rfm-cell').evaluateAll((els) =>
    els.map((e) => ({ r: Number(e.dataset.r), f: Number(e.dataset.f), customers: Number(e.dataset.customers), revenue: Number(e.dataset.revenue) })),
  );
  const key = (c) => `${c.r}/${c.f}`;
  const byKey = (xs) => Object.fromEntries(xs.map((c) => [key(c), [c.customers, c.revenue]]));
  assert.ok(data.rfmGrid.length > 0, 'the demo has RFM cells');
  assert.deepEqual(byKey(cells), byKey(data.rfmGrid));

  const counts = await page.getByTestId('churn-histogram-data').getAttribute('data-counts');
  assert.equal(counts, data.churnRiskHistogram.map((b) => b.customers).join(','));

  const m = data.scoringModel;
  assert.equal(Number(await page.getByTestId('model-buyers').getAttribute('data-value')), m.buyers);
  assert.equal(Number(await page.getByTestId('model-customers').getAttribute('data-value')), m.customers);
  if (m.churn) {
    assert.equal(Number(await page.getByTestId('model-auc').getAttribute('data-value')), m.churn.auc);
    assert.equal(Number(await page.getByTestId('model-baseline-auc').getAttribute('data-value')), m.churn.baselineAuc);
  }
  assert.equal(await page.getByTestId('loyalty-asof').getAttribute('data-value'), m.asOf);
  await screenshot(page, 'loyalty');

  const biggest = [...data.rfmGrid].sort((a, b) => b.customers - a.customers)[0];
  await page.locator(`[data-testid="rfm-cell"][data-r="${biggest.r}"][data-f="${biggest.f}"]`).click();
  await page.waitForURL((u) => u.pathname.endsWith('/customers') && u.searchParams.get('rfmR') === String(biggest.r) && u.searchParams.get('rfmF') === String(biggest.f));
});

pageTest('influence: the top influencer\'s neighbourhood draws, grows on click, filters by tie type; a path lists its steps', async ({ page }) => {
  const { influencers } = await api('analyst', '{ influencers(orderBy: SCORE, first: 1) { nodes { id } } }');
  const top = influencers.nodes[0].id;
  const hood = (await api('analyst', `query($c: ID!) { neighbourhood(customer: $c, hops: 1, maxNodes: 200) { ${NODE_FIELDS} } }`, { c: top })).neighbourhood;
  assert.ok(hood.nodes.length > 1, 'the top influencer has ties');

  const start = Date.now();
  await signIn(page, 'analyst', { route: `/influence?customer=${encodeURIComponent(top)}&hops=1` });
  await waitReady(page);
  console.log(`influence explorer (1 hop, ${hood.nodes.length} nodes) ready ${Date.now() - start} ms after sign-in started`);
  assert.equal(await page.getByTestId('error-box').count(), 0);
  let drawn = await waitGraph(page, { nodes: hood.nodes.length });
  assert.equal(drawn.edges, hood.edges.length);
  await screenshot(page, 'influence');

  // Expand a node whose own ties reach customers not drawn yet.
  const have = new Set(hood.nodes.map((n) => n.id));
  let target = null;
  let grown = 0;
  for (const n of hood.nodes.filter((n) => n.id !== top).slice(0, 15)) {
    const h = (await api('analyst', `query($c: ID!) { neighbourhood(customer: $c, hops: 1, maxNodes: 200) { nodes { id } } }`, { c: n.id })).neighbourhood;
    const fresh = h.nodes.filter((x) => !have.has(x.id)).length;
    if (fresh > 0) {
      target = n.id;
      grown = fresh;
      break;
    }
  }
  assert.ok(target, 'some neighbour has ties outside the 1-hop neighbourhood');
  await page.locator('.node-list summary').click();
  await page.locator(`[data-testid="graph-node"][data-id="${target}"]`).click();
  drawn = await waitGraph(page, { nodes: hood.nodes.length + grown });
  assert.ok(drawn.nodes > hood.nodes.length);
  assert.equal(await page.getByTestId('node-panel').getAttribute('data-id'), target);
  await screenshot(page, 'influence-expanded');

  // Then the centre: a second expansion re-runs the layout keeping positions (fcose once threw
  // there and the page went blank); the graph must still be drawn, with nothing lost.
  const before = drawn.nodes;
  await page.locator(`[data-testid="graph-node"][data-id="${top}"]`).click();
  drawn = await waitGraph(page, { minNodes: before });
  assert.equal(await page.getByTestId('node-panel').getAttribute('data-id'), top);
  assert.equal(await page.getByTestId('error-box').count(), 0);
  assert.equal(await page.getByTestId('page-influence').count(), 1);

  // Only one tie type: as many ties as the API gives for it, fewer than all.
  const types = [...new Set(hood.edges.map((e) => e.type))];
  const only = types.sort((a, b) => hood.edges.filter((e) => e.type === a).length - hood.edges.filter((e) => e.type === b).length)[0];
  const filtered = (await api('analyst', `query($c: ID!, $t: [String!]) { neighbourhood(customer: $c, hops: 1, maxNodes: 200, types: $t) { ${NODE_FIELDS} } }`, { c: top, t: [only] })).neighbourhood;
  await signIn(page, 'analyst', { route: `/influence?customer=${encodeURIComponent(top)}&hops=1&types=${only}` });
  drawn = await waitGraph(page, { nodes: filtered.nodes.length, edges: filtered.edges.length });
  if (types.length > 1) assert.ok(drawn.edges < hood.edges.length, `only ${only} ties: fewer edges`);

  // The path from the top influencer to a customer two hops away.
  const two = (await api('analyst', `query($c: ID!) { neighbourhood(customer: $c, hops: 2, maxNodes: 200) { nodes { id } } }`, { c: top })).neighbourhood;
  const far = two.nodes.find((n) => !have.has(n.id))?.id ?? hood.nodes[1].id;
  const { influencePath } = await api('analyst', 'query($a: ID!, $b: ID!) { influencePath(from: $a, to: $b) { customer { id } } }', { a: top, b: far });
  await page.getByTestId('path-from').fill(top);
  await page.getByTestId('path-to').fill(far);
  await page.getByTestId('path-submit').click();
  await page.getByTestId('path-steps').waitFor();
  assert.equal(await page.getByTestId('path-step').count(), influencePath.length);
});
