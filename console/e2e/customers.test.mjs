// Customers list, Customer 360 (with the identity picture) and Lookup, against the API's own
// answers for the same key.
import assert from 'node:assert/strict';
import { api, gotoRoute, pageTest, screenshot, signIn, waitReady } from './lib.mjs';

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

/** The rows' texts of a test id, in page order. */
async function texts(page, testId) {
  return page.getByTestId(testId).allInnerTexts();
}

/** Waits for the list to settle on a new answer: ready again and the total changed (or equal to want). */
async function waitTotal(page, want) {
  await page.waitForFunction(
    (w) => {
      const root = document.querySelector('[data-testid="page-customers"]');
      const total = document.querySelector('[data-testid="customers-total"]');
      return root?.getAttribute('data-ready') === 'true' && total && Number(total.textContent.replace(/[^\d]/g, '')) === w;
    },
    want,
    { timeout: 15_000 },
  );
}

// A customer with several source records and orders: the richest 360 the demo has.
async function richCustomer() {
  const { customers } = await api('admin', '{ customers(first: 100, orderBy: {field: REVENUE, direction: DESC}) { nodes { customerId recordCount } } }');
  const multi = customers.nodes.find((c) => c.recordCount >= 2);
  assert.ok(multi, 'the demo has a customer with two source records among its top 100 by revenue');
  return multi.customerId;
}

pageTest('analyst: the list shows the API total, pseudonyms, CLV order, and the RFM cell of a heatmap link', async ({ page }) => {
  const all = await api('analyst', '{ customers(first: 1) { totalCount } }');
  await signIn(page, 'analyst', { route: '/customers' });
  await waitReady(page);
  await waitTotal(page, all.customers.totalCount);

  const names = await texts(page, 'cell-name');
  assert.ok(names.length > 0, 'the list has rows');
  for (const n of names) assert.match(n, /^anon_/, `the analyst sees a real name: ${n}`);
  // Without the grant the search box would be refused by the server: the page says so instead.
  assert.equal(await page.getByTestId('customers-search').count(), 0, 'no name search offered to a key without the personal-data grant');
  await page.getByTestId('search-needs-grant').waitFor();

  // The default is CLV, highest first; clicking the header sorts lowest first, as the API does.
  const desc = await api('analyst', '{ customers(first: 25, orderBy: {field: CLV, direction: DESC}) { nodes { customerId metrics { clv } } } }');
  const clvs = async () => page.getByTestId('cell-clv').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
  assert.deepEqual(await clvs(), desc.customers.nodes.map((c) => String(c.metrics?.clv ?? '')), 'CLV desc order is the API\'s');
  await screenshot(page, 'customers');
  const asc = await api('analyst', '{ customers(first: 25, orderBy: {field: CLV, direction: ASC}) { nodes { customerId metrics { clv } } } }');
  await page.getByRole('button', { name: /^CLV/ }).click();
  await page.waitForURL((u) => u.searchParams.get('sort') === 'clv');
  await page.waitForFunction(() => document.querySelector('[data-testid="page-customers"]')?.getAttribute('data-ready') === 'true');
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('[data-testid="cell-clv"]')].map((e) => e.getAttribute('data-value'))) === want,
    JSON.stringify(asc.customers.nodes.map((c) => String(c.metrics?.clv ?? ''))),
    { timeout: 15_000 },
  );
  const ascValues = (await clvs()).map((v) => (v === '' ? -Infinity : Number(v)));
  for (let i = 1; i < ascValues.length; i++) assert.ok(ascValues[i - 1] <= ascValues[i], `CLV ascending at row ${i}: ${ascValues.join(', ')}`);

  // The Loyalty heatmap links to /customers?rfmR=&rfmF=: the same count as the rfmGrid cell.
  const { rfmGrid } = await api('analyst', '{ rfmGrid { r f customers } }');
  const cell = rfmGrid.find((c) => c.customers > 0);
  await gotoRoute(page, `/customers?rfmR=${cell.r}&rfmF=${cell.f}`);
  await waitReady(page);
  await waitTotal(page, cell.customers);
  assert.match(await page.getByTestId('chip-rfm').innerText(), new RegExp(`R${cell.r}\\s+F${cell.f}`));
  await page.getByTestId('chip-rfm-remove').click();
  await waitTotal(page, all.customers.totalCount);
  assert.equal(new URL(page.url()).searchParams.get('rfmR'), null, 'removing the chip drops it from the URL');

  // A filter narrows to the API's count for the same filter.
  const high = await api('analyst', '{ customers(first: 1, filter: {churnBands: [HIGH, CRITICAL]}) { totalCount } }');
  // The boxes follow the URL, so click and wait for it rather than check().
  await page.getByTestId('filter-churn-HIGH').click();
  await page.waitForURL((u) => u.searchParams.getAll('churn').includes('HIGH'));
  await page.getByTestId('filter-churn-CRITICAL').click();
  await page.waitForURL((u) => u.searchParams.getAll('churn').length === 2);
  await waitTotal(page, high.customers.totalCount);
});

pageTest('admin: a search narrows the list to the API\'s count', async ({ page }) => {
  const first = await api('admin', '{ customers(first: 1, orderBy: {field: REVENUE, direction: DESC}) { totalCount nodes { profile { email } } } }');
  const email = first.customers.nodes[0].profile.email;
  assert.ok(email, 'the top customer has an email');
  const found = await api('admin', '{ customers(first: 1, filter: {search: $s}) { totalCount } }'.replace('$s', JSON.stringify(email.toUpperCase())));
  assert.ok(found.customers.totalCount >= 1 && found.customers.totalCount < first.customers.totalCount, 'the API narrows by email');
  await signIn(page, 'admin', { route: '/customers' });
  await waitReady(page);
  await waitTotal(page, first.customers.totalCount);
  await page.getByTestId('customers-search').fill(email.toUpperCase());
  await waitTotal(page, found.customers.totalCount);
  assert.equal(new URL(page.url()).searchParams.get('q'), email.toUpperCase(), 'the search is in the URL');
  const emails = await page.locator('tbody tr').allInnerTexts();
  assert.ok(emails.some((t) => t.includes(email)), 'the matching customer is listed with its email');
  // The admin reads raw personal data, so may sort by family name.
  await page.getByRole('button', { name: /^Name/ }).waitFor();
});

pageTest('analyst: the 360 page shows the API\'s figures and the identity picture explains a match', async ({ page }) => {
  const id = await richCustomer();
  const { customer } = await api(
    'analyst',
    `query($id: ID!) { customer(id: $id) { customerId identifierCount recordCount orders(first: 1) { totalCount } feedback(first: 1) { totalCount } profile { fullName }
      sourceRecords(first: 100) { id } } }`,
    { id },
  );
  await signIn(page, 'analyst', { route: `/customers/${id}` });
  const root = await waitReady(page);
  assert.equal(await root.getAttribute('data-testid'), 'page-customer360');
  const stat = async (t) => page.getByTestId(t).getAttribute('data-value');
  assert.equal(Number(await stat('stat-orders')), customer.orders.totalCount, 'order count');
  assert.equal(Number(await stat('stat-identifiers')), customer.identifierCount, 'identifier count');
  assert.equal(Number(await stat('stat-records')), customer.recordCount, 'record count');
  assert.equal(Number(await stat('stat-feedback')), customer.feedback.totalCount, 'feedback count');
  assert.equal(await page.getByTestId('customer-name').innerText(), customer.profile.fullName, 'the name as the API gives it');
  assert.match(customer.profile.fullName, /^anon_/, 'the analyst gets a pseudonym');
  for (const s of ['section-profile', 'section-scores', 'section-identifiers', 'section-actions', 'section-consents', 'section-household', 'section-timeline', 'section-identity-history']) {
    await page.getByTestId(s).waitFor();
  }
  const items = Number(await page.getByTestId('timeline').getAttribute('data-items'));
  assert.ok(items >= Math.min(customer.orders.totalCount, 25), 'the timeline holds the orders');
  await screenshot(page, 'customer360');

  // The identity picture: a node per record and identifier, drawn on a canvas.
  const graph = page.getByTestId('identity-graph');
  await graph.waitFor();
  assert.equal(Number(await graph.getAttribute('data-records')), customer.sourceRecords.length, 'a node per source record');
  assert.ok(Number(await graph.getAttribute('data-nodes')) > customer.sourceRecords.length, 'identifier nodes are drawn too');
  assert.ok((await graph.locator('canvas').count()) > 0, 'Cytoscape drew on a canvas');
  assert.equal(await page.getByTestId('identity-admin').count(), 0, 'the analyst is offered no identity corrections');

  const picks = page.getByTestId('record-pick');
  await picks.nth(0).check();
  await picks.nth(1).check();
  const a = await picks.nth(0).getAttribute('data-record');
  const b = await picks.nth(1).getAttribute('data-record');
  const { explainMatch } = await api('analyst', 'query($a: ID!, $b: ID!) { explainMatch(recordA: $a, recordB: $b) { sameCustomer steps { rule } } }', { a, b });
  const explain = page.getByTestId('explain-match');
  await explain.waitFor();
  assert.equal(await explain.getAttribute('data-same'), String(explainMatch.sameCustomer));
  assert.ok(explainMatch.steps.length > 0, 'two records of one customer are linked by steps');
  assert.equal(await page.getByTestId('explain-step').count(), explainMatch.steps.length, 'every step of the chain is shown');
  await graph.scrollIntoViewIfNeeded();
  await screenshot(page, 'customer360-identity');
});

pageTest('admin: the 360 page offers the identity corrections behind a confirmation', async ({ page }) => {
  const id = await richCustomer();
  await signIn(page, 'admin', { route: `/customers/${id}` });
  await waitReady(page);
  const admin = page.getByTestId('identity-admin');
  await admin.waitFor();
  assert.equal(await page.getByTestId('action-unmerge').isDisabled(), true, 'unmerge waits for a picked record');
  await page.getByTestId('record-pick').first().check();
  await page.getByTestId('action-unmerge').click();
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('confirm-ok').isDisabled(), true, 'a correction waits for a reason');
  await dialog.getByTestId('action-reason').fill('checking the dialog');
  assert.equal(await dialog.getByTestId('confirm-ok').isDisabled(), false, 'a reason enables the correction');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await page.locator('dialog.confirm[open]').count(), 0, 'cancel closes the dialog and changes nothing');
  const after = await api('admin', 'query($id: ID!) { customer(id: $id) { customerId } }', { id });
  assert.equal(after.customer.customerId, id, 'the customer is intact after cancelling');
});

pageTest('partner: a lookup of a consenting customer shows no personal data outside the contract', async ({ page }) => {
  const { previewSegment } = await api(
    'admin',
    '{ previewSegment(definition: {consent: {purpose: "partner_sharing", granted: true}}, sample: 20) { sample { customerId profile { familyName phone addressLine1 birthDate email } } } }',
  );
  const person = previewSegment.sample.find((c) => c.profile.familyName && c.profile.phone) ?? previewSegment.sample[0];
  assert.ok(person, 'the demo has a customer consenting to partner sharing');
  const seen = await api('partner', 'query($id: ID!) { customer(id: $id) { customerId profile { familyName phone email } } }', { id: person.customerId });
  assert.ok(seen.customer, 'the partner may read the consenting customer');

  await signIn(page, 'partner', { route: `/lookup?id=${person.customerId}` });
  await waitReady(page);
  const result = page.getByTestId('lookup-result');
  await result.waitFor();
  assert.equal(await page.getByTestId('lookup-customer-id').innerText(), person.customerId);
  const text = await page.getByTestId('page-lookup').innerText();
  for (const [field, value] of Object.entries(person.profile)) {
    if (!value) continue;
    const partnerValue = seen.customer.profile[field];
    if (partnerValue === value) continue; // in the contract (e.g. email): the partner may see it
    assert.ok(!text.includes(value), `the partner's page shows the admin's ${field} ${value}`);
  }
  assert.equal(await page.getByTestId('lookup-profile-familyName').innerText(), 'withheld', 'a masked field says withheld');
  await page.getByTestId('lookup-metrics').waitFor();
  assert.equal(await page.getByTestId('lookup-orders').count(), 0, 'partners are not shown orders');
  await screenshot(page, 'lookup-partner');
});

pageTest('frontend: a lookup by identifier finds its customer with orders', async ({ page }) => {
  const { customers } = await api('admin', '{ customers(first: 20, filter: {source: "web"}, orderBy: {field: REVENUE, direction: DESC}) { nodes { customerId identifiers(first: 20) { type value } } } }');
  const c = customers.nodes.find((n) => n.identifiers.some((i) => i.type === 'EMAIL'));
  assert.ok(c, 'a web customer with an email');
  const email = c.identifiers.find((i) => i.type === 'EMAIL').value;
  const { customer } = await api('frontend', 'query($id: ID!) { customer(id: $id) { customerId orders(first: 1) { totalCount } } }', { id: c.customerId });
  assert.ok(customer, 'the frontend app may read its own source\'s customer');

  await signIn(page, 'frontend', { route: '/lookup' });
  await waitReady(page);
  await page.getByTestId('lookup-by-identifier').check();
  await page.getByTestId('lookup-type').selectOption('EMAIL');
  await page.getByTestId('lookup-value').fill(`  ${email.toUpperCase()} `);
  await page.getByTestId('lookup-submit').click();
  await page.getByTestId('lookup-result').waitFor();
  assert.equal(await page.getByTestId('lookup-customer-id').innerText(), customer.customerId);
  assert.equal(new URL(page.url()).search.includes(encodeURIComponent(email)), false, 'the identifier stays out of the URL');
  const orders = await page.getByTestId('lookup-orders').innerText();
  assert.match(orders, new RegExp(`Orders \\(${customer.orders.totalCount.toLocaleString('en-US').replace(/,/g, '.?')}\\)`));
  await screenshot(page, 'lookup-frontend');
});
