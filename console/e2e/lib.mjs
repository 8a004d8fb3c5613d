// Shared helpers of the console's end-to-end tests (README.md says how to use them).
// The tests drive Debian's headless Chromium through playwright-core against a real server
// on real Neo4j, started by cmd/cdpgraph/console_e2e_test.go with the environment below.
import { after, test } from 'node:test';
import { closeBrowser, newPage, screenshot } from './browser.mjs';

export * from './browser.mjs';

after(closeBrowser);

/**
 * A test with its own page. fn({ page, context, watcher, t }) drives it; afterwards the watcher
 * must have seen nothing wrong. On failure a screenshot FAILED-<name>.png is saved.
 */
export function pageTest(name, fn, { timeout = 90_000, viewport } = {}) {
  return test(name, { timeout }, async (t) => {
    const { context, page, watcher } = await newPage({ viewport });
    try {
      await fn({ page, context, watcher, t });
      watcher.check();
    } catch (err) {
      await screenshot(page, `FAILED-${name}`).catch(() => {});
      const extra = watcher.problems();
      if (extra.length && !String(err.message).includes('the page misbehaved')) {
        err.message += `\nthe page also misbehaved:\n  ${extra.join('\n  ')}`;
      }
      throw err;
    } finally {
      await context.close();
    }
  });
}

