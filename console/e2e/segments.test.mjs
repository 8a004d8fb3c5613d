// Segments (builder with live preview, save, list, export, delete), identity review (an
// admin settles a pair; analysts only read the queue) and the audit log (admin only).
// Every number the page shows is compared with the API's answer for the same question.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, gotoRoute, navPaths, pageTest, screenshot, signIn, waitReady } from './lib.mjs';

const PREVIEW = `query($d: SegmentDefinition!) { previewSegment(definition: $d, sample: 1) { count } }`;

async function previewCount(definition) {
  return (await api('analyst', PREVIEW, { d: definition })).previewSegment.count;
}

/** Waits until the preview answers the definition on screen (which must contain `marker`), and returns its count and latency. */
async function freshPreview(page, marker) {
  await page.waitForFunction(
    (m) => {
      const p = document.querySelector('[data-testid="segment-preview"]');
      const json = document.querySelector('[data-testid="definition-json"]')?.textContent ?? '';
      return p?.getAttribute('data-state') === 'fresh' && json.includes(m);
    },
    marker,
    { timeout: 20_000 },
  );
  const count = Number(await page.getByTestId('preview-count').getAttribute('data-count'));
  const ms = Number(await page.getByTestId('preview-latency').getAttribute('data-ms'));
  return { count, ms };
}

async function addCondition(page, kind, groupPath = 'definition') {
  await page.locator(`[data-testid="add-kind"][data-for="${groupPath}"]`).selectOption(kind);
  return page.getByTestId(`pred-${kind}`).last();
}

/** The records of a CSV file (RFC 4180: a quoted field may hold commas, quotes and line breaks). */
function csvRecords(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field), records.push(record), (record = []), (field = '');
    } else field += c;
  }
  if (field !== '' || record.length) record.push(field), records.push(record);
  return records;
}

async function chipValues(pred) {
  return pred.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
}

pageTest('analyst builds a segment with a live preview equal to the API, saves, exports and deletes it', async ({ page, t }) => {
  const { vocabulary } = await api('analyst', '{ vocabulary { churnBands rfmSegments eventTypes categories } }');
  const bands = ['HIGH', 'CRITICAL'].filter((b) => vocabulary.churnBands.includes(b));
  assert.deepEqual(bands, ['HIGH', 'CRITICAL'], `the vocabulary offers the churn bands: ${vocabulary.churnBands}`);
  const first = { and: [{ churnBands: bands }] };
  const firstCount = await previewCount(first);
  // An RFM segment that changes the count (the demo is deterministic, but computed here, not assumed).
  let rfm = null;
  let secondCount = null;
  for (const v of vocabulary.rfmSegments) {
    const n = await previewCount({ and: [{ churnBands: bands }, { rfmSegments: [v] }] });
    if (n !== firstCount && n > 0) {
      rfm = v;
      secondCount = n;
      break;
    }
  }
  assert.ok(rfm, 'some RFM segment narrows the high/critical churners');

  await signIn(page, 'analyst', { route: '/segments/new' });
  await waitReady(page);
  await page.getByTestId('page-segment-new').waitFor();

  const bandsPred = await addCondition(page, 'churnBands');
  assert.deepEqual(await chipValues(bandsPred), vocabulary.churnBands, 'the churn bands are offered from the vocabulary');
  // Nothing chosen yet: the builder says what is missing and does not preview.
  assert.equal(await page.getByTestId('segment-preview').getAttribute('data-state'), 'invalid');
  for (const b of bands) await bandsPred.locator(`[data-testid="chip"][data-value="${b}"]`).check();
  const p1 = await freshPreview(page, '"CRITICAL"');
  assert.equal(p1.count, firstCount, 'the preview counts what previewSegment counts');

  const rfmPred = await addCondition(page, 'rfmSegments');
  assert.deepEqual(await chipValues(rfmPred), vocabulary.rfmSegments, 'the RFM segments are offered from the vocabulary');
  await rfmPred.locator(`[data-testid="chip"][data-value="${rfm}"]`).check();
  const p2 = await freshPreview(page, JSON.stringify(rfm));
  assert.equal(p2.count, secondCount, `AND ${rfm}: the preview counts what previewSegment counts`);
  assert.notEqual(p2.count, p1.count, 'the preview count changed with the definition');
  t.diagnostic(`preview latency shown by the page: ${p1.ms} ms (churn bands), ${p2.ms} ms (AND ${rfm})`);
  console.log(`# segment preview latency (page-measured): ${p1.ms} ms, ${p2.ms} ms`);

  // The other predicates offer their values too (event types and categories from the data).
  const eventPred = await addCondition(page, 'event');
  const offered = await eventPred.locator('select').first().evaluate((s) => [...s.options].map((o) => o.value).filter(Boolean));
  assert.deepEqual(offered, vocabulary.eventTypes, 'the event types are offered from the vocabulary');
  await eventPred.getByTestId('remove-node').click();
  await freshPreview(page, JSON.stringify(rfm));
  await screenshot(page, 'segment-builder');

  const name = `e2e high churn ${rfm} ${Date.now()}`;
  await page.getByTestId('segment-name').fill(name);
  await page.getByTestId('segment-save').click();
  await page.waitForURL(/\/console\/segments\/(?!new)[^/?]+/);
  await waitReady(page);
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  const { segment } = await api('analyst', 'query($id: ID!) { segment(id: $id) { memberCount name } }', { id });
  assert.equal(segment.name, name);
  assert.equal(segment.memberCount, secondCount, 'the saved segment has the previewed members');
  assert.equal(await page.getByTestId('segment-members-count').textContent(), segment.memberCount.toLocaleString('en-GB'));

  // The server's export, fetched with the key in a header and saved from a blob.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('segment-export').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.match(lines[0], /^customer_id,/, 'the export has the server\'s columns');
  assert.equal(lines.length - 1, segment.memberCount, 'the export has every member');

  await page.getByTestId('tab-members').click();
  await page.getByTestId('segment-members').waitFor();
  assert.equal(Number(await page.getByTestId('segment-members').getAttribute('data-total')), segment.memberCount);

  await gotoRoute(page, '/segments');
  await waitReady(page);
  const row = page.locator('tr', { has: page.getByRole('link', { name, exact: true }) });
  assert.equal(await row.getByTestId('segment-member-count').textContent(), segment.memberCount.toLocaleString('en-GB'), 'the list shows the API\'s memberCount');
  const { segments } = await api('analyst', '{ segments(first: 500) { id } }');
  assert.equal(await page.locator('[data-testid="page-segments"] tbody tr').count(), segments.length, 'the list has every saved segment');
  await screenshot(page, 'segments');

  await row.getByRole('link', { name, exact: true }).click();
  await waitReady(page);
  await page.getByTestId('segment-delete').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete segment' }).click();
  await page.waitForURL((u) => u.pathname.replace(/\/+$/, '') === '/console/segments');
  await waitReady(page);
  await page.getByRole('link', { name, exact: true }).waitFor({ state: 'detached' });
  const gone = await api('analyst', 'query($id: ID!) { segment(id: $id) { id } }', { id });
  assert.equal(gone.segment, null, 'the segment is deleted');
});

pageTest('a definition the server refuses shows its error with the code and field, next to the node', async ({ page, watcher }) => {
  watcher.allowConsoleError(/status of 4\d\d/);
  // More values than the server takes in one list (segment.MaxValues): only the server says so.
  const values = Array.from({ length: 1001 }, (_, i) => `C${i}`);
  const refused = await api('analyst', PREVIEW, { d: { and: [{ profile: { field: 'city', op: 'in', values } }] } }, { allowErrors: true });
  const err = refused.errors?.[0];
  assert.ok(err, 'the server refuses 1001 values');

  await signIn(page, 'analyst', { route: '/segments/new' });
  await waitReady(page);
  const pred = await addCondition(page, 'profile');
  const [field, op] = await pred.locator('select').all();
  await field.selectOption('city');
  await op.selectOption('in');
  // Not yet valid: the builder's own check names the field before anything is sent.
  assert.equal(await page.getByTestId('segment-preview').getAttribute('data-state'), 'invalid');
  assert.match(await pred.getByTestId('node-issues').textContent(), /definition\.and\[0\]\.profile\.values/);
  await pred.locator('input').fill(values.join(','));
  await page.waitForFunction(() => document.querySelector('[data-testid="segment-preview"]')?.getAttribute('data-state') === 'error', null, { timeout: 20_000 });
  const box = await page.getByTestId('segment-preview').getByTestId('error-box').textContent();
  assert.ok(box.includes(err.extensions.code), `the error box shows the code ${err.extensions.code}: ${box}`);
  assert.ok(box.includes(err.extensions.field), `the error box names the field ${err.extensions.field}: ${box}`);
  assert.ok((await pred.getByTestId('node-issues').textContent()).includes(err.extensions.code), 'the refusal is shown next to the node it is about');
});

pageTest('admin approves a review pair, it leaves the queue, and the audit log shows the decision', async ({ page }) => {
  const QUEUE = '{ reviewQueue(first: 1) { totalCount nodes { recordA { id } recordB { id } } } }';
  const before = (await api('admin', QUEUE)).reviewQueue;
  assert.ok(before.totalCount > 0, 'the demo has a review queue');
  const pair = before.nodes[0];

  await signIn(page, 'admin', { route: '/identity' });
  await waitReady(page);
  assert.equal(Number(await page.getByTestId('review-queue').getAttribute('data-total')), before.totalCount, 'the page shows the API\'s queue size');
  const firstCard = page.getByTestId('review-pair').first();
  assert.equal(await firstCard.getAttribute('data-record-a'), pair.recordA.id, 'most probable pair first, as the API orders it');
  assert.ok(Number(await firstCard.getByTestId('pair-waterfall').getAttribute('data-steps')) > 0, 'the waterfall draws the evidence');
  await screenshot(page, 'identity-review');

  await firstCard.getByTestId('review-approve').click();
  const merge = page.getByRole('dialog').getByRole('button', { name: 'Merge the records' });
  assert.equal(await merge.isDisabled(), true, 'no decision without a reason');
  await page.getByTestId('review-reason').fill('   ');
  assert.equal(await merge.isDisabled(), true, 'a blank reason is no reason');
  await page.getByTestId('review-reason').fill('e2e: same email and birth date');
  await merge.click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="review-queue"]')?.getAttribute('data-total') === String(n), before.totalCount - 1, { timeout: 20_000 });
  const after = (await api('admin', '{ reviewQueue(first: 100) { totalCount nodes { recordA { id } recordB { id } } } }')).reviewQueue;
  assert.equal(after.totalCount, before.totalCount - 1, 'the queue shrank by one');
  const shown = await page.getByTestId('review-pair').evaluateAll((els) => els.map((e) => `${e.dataset.recordA}|${e.dataset.recordB}`));
  assert.ok(!shown.includes(`${pair.recordA.id}|${pair.recordB.id}`), 'the decided pair left the page');
  assert.ok(!after.nodes.some((n) => n.recordA.id === pair.recordA.id && n.recordB.id === pair.recordB.id), 'the decided pair left the API queue');

  // The match model and flagged identifiers render what the API has.
  await page.getByTestId('tab-model').click();
  await waitReady(page);
  await page.getByTestId('match-model').waitFor();
  await page.getByTestId('tab-flagged').click();
  await waitReady(page);
  const { flaggedIdentifiers } = await api('admin', '{ flaggedIdentifiers(first: 1) { totalCount } }');
  assert.equal(Number(await page.getByTestId('flagged-identifiers').getAttribute('data-total')), flaggedIdentifiers.totalCount);

  assert.ok((await navPaths(page)).includes('/console/audit'), 'admins have the audit log');
  await gotoRoute(page, '/audit?action=decideReview');
  await waitReady(page);
  const { auditLog } = await api('admin', '{ auditLog(filter: { action: "decideReview" }, first: 5) { totalCount nodes { action detail } } }');
  assert.ok(auditLog.totalCount >= 1, 'the API logged the decision');
  assert.equal(Number(await page.getByTestId('audit-table').getAttribute('data-total')), auditLog.totalCount, 'the filtered log has the API\'s count');
  const actions = await page.getByTestId('audit-action').allTextContents();
  assert.ok(actions.length >= 1 && actions.every((a) => a === 'decideReview'), `the filter shows decideReview entries: ${actions}`);
  assert.equal(await page.getByTestId('audit-action').count(), Math.min(auditLog.totalCount, 50));
  await screenshot(page, 'audit');

  // The whole log as CSV, read page by page (the server gives at most 100 rows a page).
  await gotoRoute(page, '/audit');
  await waitReady(page);
  const TOTAL = '{ auditLog(first: 1) { totalCount } }';
  const totalBefore = (await api('admin', TOTAL)).auditLog.totalCount;
  const [auditDownload] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByTestId('audit-table').getByTestId('export-csv').click(),
  ]);
  const totalAfter = (await api('admin', TOTAL)).auditLog.totalCount;
  const records = csvRecords((await readFile(await auditDownload.path(), 'utf8')).replace(/^\uFEFF/, ''));
  assert.deepEqual(records[0], ['When', 'Actor', 'Role', 'Partner', 'Action', 'Customers', 'Detail'], 'the audit CSV has its header');
  const rows = records.length - 1;
  assert.ok(rows >= totalBefore && rows <= totalAfter, `the audit CSV has every entry: ${rows} rows, the API counts ${totalBefore}..${totalAfter}`);
  assert.equal(await page.getByTestId('export-error').count(), 0, 'the export shows no error');
});

pageTest('analyst reads the review queue without decision buttons and has no audit log', async ({ page }) => {
  const { reviewQueue } = await api('analyst', '{ reviewQueue(first: 1) { totalCount } }');
  await signIn(page, 'analyst', { route: '/identity' });
  await waitReady(page);
  assert.equal(Number(await page.getByTestId('review-queue').getAttribute('data-total')), reviewQueue.totalCount);
  assert.ok((await page.getByTestId('review-pair').count()) > 0, 'analysts see the pairs');
  assert.equal(await page.getByTestId('review-approve').count(), 0, 'analysts are not offered approve');
  assert.equal(await page.getByTestId('review-reject').count(), 0, 'analysts are not offered reject');

  assert.ok(!(await navPaths(page)).includes('/console/audit'), 'the analyst nav has no audit log');
  await gotoRoute(page, '/audit');
  await page.getByText('Not available to your role').waitFor();
  assert.equal(await page.getByTestId('page-audit').count(), 0, 'the audit page does not render for analysts');
  const denied = await api('analyst', '{ auditLog(first: 1) { totalCount } }', {}, { allowErrors: true });
  assert.ok(denied.errors?.length, 'the server refuses the audit log to analysts too');
});
