// The GraphiQL page at / (http/graphiql): signing in through #key=, headers that survive a
// reload, the schema loading once a key is typed into the headers editor, and the README's
// tour tabs. Run by cmd/cdpgraph/graphiql_e2e_test.go (TestGraphiQLE2E), which sets
// CDP_TOUR_TITLES to the titles graphiql.TourTabs reads from the README.
import assert from 'node:assert/strict';
import { keyOf, pageTest, screenshot, serverURL } from '../lib.mjs';

const tourTitles = JSON.parse(process.env.CDP_TOUR_TITLES || '[]');

// GraphiQL 3's editors are CodeMirror 5 instances; their API is on the .CodeMirror element.
const queryEditor = '.graphiql-query-editor .CodeMirror';
const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
const responseEditor = '.graphiql-response .CodeMirror';

async function editorValue(page, selector) {
  return page.locator(selector).first().evaluate((el) => el.CodeMirror.getValue());
}

async function setEditorValue(page, selector, value) {
  await page.locator(selector).first().evaluate((el, v) => el.CodeMirror.setValue(v), value);
}

/** Runs the active tab's operation (name picks one when the tab has several) and returns the parsed response. */
async function run(page, { name, expect = /"data"/ } = {}) {
  await page.locator('.graphiql-execute-button').click();
  if (name) await page.getByRole('menuitem', { name }).click();
  let text = '';
  for (let i = 0; i < 150 && !expect.test(text); i++) {
    if (i) await page.waitForTimeout(100);
    text = await editorValue(page, responseEditor);
  }
  assert.match(text, expect, `the response pane never matched ${expect}; it holds: ${text}`);
  return JSON.parse(text);
}

async function openDocs(page) {
  const explorer = page.locator('.graphiql-doc-explorer');
  if (!(await explorer.isVisible())) await page.getByRole('button', { name: /documentation explorer/i }).click();
  await explorer.waitFor({ state: 'visible' });
  return explorer;
}

pageTest('graphiql: a #key= link signs in, leaves the address bar and survives a reload', async ({ page }) => {
  const key = keyOf('admin');
  await page.goto(`${serverURL}/#key=${encodeURIComponent(key)}`);
  await page.locator(queryEditor).waitFor();
  assert.equal(await page.evaluate(() => window.location.hash), '', 'the key is still in the address bar');
  assert.ok(!page.url().includes(key), 'the key is still in the page URL');
  const headers = JSON.parse(await editorValue(page, headersEditor));
  assert.equal(headers.Authorization, `Bearer ${key}`, 'the headers editor does not hold the key');

  const welcome = await run(page, { expect: /"viewer"|"errors"/ });
  assert.equal(welcome.errors, undefined, `the welcome query answered errors: ${JSON.stringify(welcome.errors)}`);
  assert.match(String(welcome.data.viewer.role), /^admin$/i, `the welcome query answers ${JSON.stringify(welcome)}`);
  await screenshot(page, 'graphiql-signed-in');

  await page.reload();
  await page.locator(queryEditor).waitFor();
  const again = JSON.parse(await editorValue(page, headersEditor));
  assert.equal(again.Authorization, `Bearer ${key}`, 'after a reload the headers are gone');
  await setEditorValue(page, queryEditor, '{ customers(first: 5) { totalCount nodes { customerId } } }');
  const after = await run(page, { expect: /"customers"/ });
  assert.ok(after.data.customers.totalCount >= 2, `after a reload the query answers ${JSON.stringify(after)}`);
  const docs = await openDocs(page);
  await docs.getByText('Root Types').waitFor();
});

pageTest('graphiql: without a key the docs say so, and typing one in the headers loads the schema', async ({ page, watcher }) => {
  watcher.allowConsoleError(/status of 401/);
  await page.goto(`${serverURL}/`);
  await page.locator(queryEditor).waitFor();
  assert.match(await editorValue(page, queryEditor), /Every request needs an API key/);
  const docs = await openDocs(page);
  await docs.locator('.graphiql-doc-explorer-error').waitFor();
  await screenshot(page, 'graphiql-no-key');

  await setEditorValue(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${keyOf('admin')}` }, null, 2));
  // No refresh button pressed: the page introspects again with the new headers.
  await docs.getByText('Root Types').waitFor({ timeout: 10_000 });
  assert.equal(await docs.locator('.graphiql-doc-explorer-error').count(), 0, 'the docs pane still shows an error');
  const answer = await run(page, { expect: /"viewer"|"errors"/ });
  assert.equal(answer.errors, undefined, `the welcome query answered errors: ${JSON.stringify(answer.errors)}`);
  assert.ok(answer.data.viewer.role, `the welcome query answers ${JSON.stringify(answer)}`);
  await screenshot(page, 'graphiql-key-typed');
});

pageTest('graphiql: the README tour is ready in tabs and runs', async ({ page }) => {
  assert.ok(tourTitles.length >= 4, `CDP_TOUR_TITLES lists ${tourTitles.length} tour titles`);
  await page.goto(`${serverURL}/#key=${encodeURIComponent(keyOf('admin'))}`);
  await page.locator(queryEditor).waitFor();
  const tabs = page.locator('.graphiql-tab');
  assert.equal(await tabs.count(), 1 + tourTitles.length, 'one welcome tab and one per tour step');
  // The first tour step is the README's FindCustomers query: run it.
  await tabs.nth(1).locator('button').first().click();
  await page.waitForTimeout(300);
  assert.match(await editorValue(page, queryEditor), /query FindCustomers\b/);
  const answer = await run(page, { expect: /"data"|"errors"/ });
  assert.equal(answer.errors, undefined, `FindCustomers answered errors: ${JSON.stringify(answer.errors)}`);
  assert.ok(answer.data.customers.nodes.length >= 1, `FindCustomers answered ${JSON.stringify(answer)}`);
  for (let i = 0; i < tourTitles.length; i++) {
    await tabs.nth(i + 1).locator('button').first().click();
    // GraphiQL derives a tab's operation name from its editor after a short debounce.
    await page.waitForTimeout(300);
    const query = await editorValue(page, queryEditor);
    assert.equal(query.split('\n')[0], `# ${tourTitles[i]}`, `tab ${i + 1} does not open with its title`);
  }
});
