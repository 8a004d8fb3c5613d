// The console's figures for docs/benchmarks.md, measured in Debian's headless Chromium:
// the gzipped size of console/dist, and the time to first render (navigation start to the
// page's data-ready="true", README.md) of a customer 360 page and of the influence explorer
// showing a 2-hop neighbourhood of the demo's biggest influencer. Median of RUNS (5) loads.
//
//   make run            # in one terminal: the demo company on http://127.0.0.1:8080
//   make bench-console  # in another (or: cd console/e2e && node measure.mjs)
//
// CONSOLE_URL names another server; the keys come from the environment (CDP_ANALYST_KEY)
// or from data/demo-keys.env, which `cdpgraph demo` writes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const runs = Number(process.env.RUNS || 5);

function bundleSizes() {
  const dist = path.join(root, 'console', 'dist');
  if (!existsSync(dist)) {
    console.log('console/dist is missing: cd console && npm ci && npm run build');
    return;
  }
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dist);
  let raw = 0;
  let gz = 0;
  const rows = files.map((f) => {
    const b = readFileSync(f);
    const z = gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += z;
    return { file: path.relative(dist, f), raw: b.length, gz: z };
  }).sort((a, b) => b.gz - a.gz);
  console.log('console/dist (gzip -9):');
  for (const r of rows) console.log(`  ${kb(r.gz).padStart(9)} gz ${kb(r.raw).padStart(9)} raw  ${r.file}`);
  const code = rows.filter((r) => /\.(js|css|html)$/.test(r.file)).reduce((s, r) => s + r.gz, 0);
  console.log(`  total ${kb(gz)} gzipped (${kb(raw)} raw); JS, CSS and HTML ${kb(code)} gzipped`);
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function demoKeys() {
  const file = path.join(root, 'data', 'demo-keys.env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^(CDP_\w+_KEY)=(\S+)/);
    if (m && !process.env[m[1]]) process.env[m[1]] = m[2];
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// Records, in the page, when an element first carries data-ready="true" and when the frame
// showing it has been produced (two animation frames later): performance.now() counts from
// the navigation's start, so the figure includes loading the bundle, checking the stored key,
// the GraphQL round trips and the render, and nothing of the harness.
function recordReady() {
  const seen = () => {
    if (window.__cdpReadyAt === undefined && document.querySelector('[data-ready="true"]')) {
      window.__cdpReadyAt = performance.now();
      performance.mark('cdp-ready');
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__cdpPaintedAt = performance.now(); }));
    }
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

async function timeToReady(page, url) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(() => window.__cdpPaintedAt !== undefined, null, { timeout: 60_000 });
  return page.evaluate(() => ({ ready: window.__cdpReadyAt, painted: window.__cdpPaintedAt }));
}

async function measurePage(lib, label, route) {
  const { context, page, watcher } = await lib.newPage();
  try {
    await context.addInitScript(recordReady);
    await lib.signIn(page, 'analyst');
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await timeToReady(page, lib.consoleURL(route)));
    watcher.check();
    const painted = times.map((t) => t.painted);
    console.log(`${label}: time to first render median ${median(painted).toFixed(0)} ms over ${runs} loads ` +
      `(first, cold cache: ${painted[0].toFixed(0)} ms; min ${Math.min(...painted).toFixed(0)}, max ${Math.max(...painted).toFixed(0)}; ` +
      `data in the DOM at median ${median(times.map((t) => t.ready)).toFixed(0)} ms)`);
    await lib.screenshot(page, `measure-${label.replace(/\W+/g, '-')}`);
  } finally {
    await context.close();
  }
}

bundleSizes();
process.env.CONSOLE_URL ||= 'http://127.0.0.1:8080';
demoKeys();
if (!process.env.CDP_ANALYST_KEY) {
  console.error('no analyst key: set CDP_ANALYST_KEY or load the demo (make run writes data/demo-keys.env)');
  process.exit(1);
}
try {
  await fetch(`${process.env.CONSOLE_URL.replace(/\/+$/, '')}/healthz`);
} catch {
  console.error(`no server at ${process.env.CONSOLE_URL}: start one (make run) or set CONSOLE_URL`);
  process.exit(1);
}
const lib = await import('./browser.mjs');
const top = await lib.api('analyst', '{ influencers(first: 1, orderBy: SCORE) { nodes { id influence { score reach(hops: 2) } } } }');
const star = top.influencers.nodes[0];
if (!star) {
  console.error('the graph has no influencers: load the demo (make run) and run influence');
  process.exit(1);
}
const hood = await lib.api('analyst', 'query($id: ID!) { neighbourhood(customer: $id, hops: 2) { nodes { id } edges { type } } }', { id: star.id }, { allowErrors: true });
const size = hood.data?.neighbourhood ? ` (${hood.data.neighbourhood.nodes.length} customers, ${hood.data.neighbourhood.edges.length} ties)` : '';
console.log(`biggest influencer ${star.id}: score ${star.influence.score.toFixed(4)}, 2-hop reach ${star.influence.reach}${size}`);
try {
  await measurePage(lib, 'customer 360', `/customers/${encodeURIComponent(star.id)}`);
  await measurePage(lib, 'influence explorer, 2 hops', `/influence?customer=${encodeURIComponent(star.id)}&hops=2`);
} finally {
  await lib.closeBrowser();
}
