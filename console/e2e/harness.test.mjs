// The harness watches for what it promises to catch: a request to another origin (aborted),
// an API key in a URL, an uncaught exception, a console error, a CSP violation. If these
// fail, every other test here may be passing for the wrong reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleURL, keyOf, newPage, serverURL } from './lib.mjs';

// An origin that is not the server's: another loopback address, so nothing leaves the machine.
const elsewhere = 'http://127.0.0.2:9/probe';

async function watched(fn) {
  const { context, page, watcher } = await newPage();
  try {
    await fn(page, watcher);
    return watcher.problems();
  } finally {
    await context.close();
  }
}

test('a request to another origin is caught and aborted', async () => {
  const problems = await watched(async (page) => {
    await page.goto('about:blank');
    const outcome = await page.evaluate((u) => fetch(u).then(() => 'sent', () => 'failed'), elsewhere);
    assert.equal(outcome, 'failed', 'the foreign request was not aborted');
  });
  assert.ok(problems.some((p) => p.includes('another origin') && p.includes(elsewhere)), `not caught: ${problems}`);
});

test('same-origin requests pass unremarked', async () => {
  const problems = await watched(async (page) => {
    await page.goto('about:blank');
    await page.evaluate((u) => fetch(u).catch(() => {}), `${serverURL}/healthz`);
    await page.goto(consoleURL('/signin'));
  });
  assert.deepEqual(problems.filter((p) => p.includes('another origin')), []);
});

test('an API key in a request URL is caught', async () => {
  const problems = await watched(async (page) => {
    await page.goto('about:blank');
    await page.evaluate((u) => fetch(u).catch(() => {}), `${serverURL}/graphql?key=${keyOf('analyst')}`);
  });
  assert.ok(problems.some((p) => p.includes('API key in a request URL') && !p.includes(keyOf('analyst'))), `not caught (or not redacted): ${problems}`);
});

test('uncaught exceptions and console errors are caught', async () => {
  const problems = await watched(async (page) => {
    await page.goto('about:blank');
    await page.evaluate(() => {
      console.error('e2e-probe console error');
      setTimeout(() => { throw new Error('e2e-probe uncaught'); });
    });
    await page.waitForTimeout(200);
  });
  assert.ok(problems.some((p) => p.includes('e2e-probe console error')), `console error not caught: ${problems}`);
  assert.ok(problems.some((p) => p.includes('e2e-probe uncaught')), `exception not caught: ${problems}`);
});

test('a CSP violation is caught', async () => {
  const problems = await watched(async (page, watcher) => {
    watcher.allowConsoleError(/Content Security Policy/);
    // A page served with a policy allowing only its own origin, as the console's is.
    await page.route(`${serverURL}/__e2e-csp-probe`, (route) => route.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': "default-src 'self'" },
      body: `<img src="${elsewhere}">`,
    }));
    await page.goto(`${serverURL}/__e2e-csp-probe`);
    await page.waitForTimeout(200);
  });
  assert.ok(problems.some((p) => p.startsWith('CSP violation') && p.includes('127.0.0.2')), `not caught: ${problems}`);
});
