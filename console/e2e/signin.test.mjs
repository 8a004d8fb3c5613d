// Sign-in, sign-out and the role-aware nav, for each of the four roles.
import assert from 'node:assert/strict';
import { api, assertRole, consoleURL, keyOf, navPaths, pageTest, screenshot, signIn, storage } from './lib.mjs';

// The pages each role's nav must offer, and those it must not (the server enforces the rest).
const nav = {
  admin: { offers: ['/console/customers', '/console/loyalty', '/console/influence', '/console/segments', '/console/identity', '/console/audit'], not: [] },
  analyst: { offers: ['/console/customers', '/console/loyalty', '/console/influence', '/console/segments'], not: ['/console/audit'] },
  frontend: { offers: ['/console/lookup'], not: ['/console/audit', '/console/identity'] },
  partner: { offers: ['/console/lookup'], not: ['/console/customers', '/console/audit', '/console/identity', '/console/segments', '/console/influence', '/console/loyalty'] },
};

// The analyst signs in through the form; the others with the one-click link, one of them on
// a deep URL, which must keep its route.
const ways = {
  admin: { via: 'link', route: '/' },
  analyst: { via: 'form', route: '/' },
  frontend: { via: 'link', route: '/' },
  partner: { via: 'link', route: '/lookup' },
};

for (const role of Object.keys(nav)) {
  const { via, route } = ways[role];
  pageTest(`${role} signs in (${via}), sees the role and their pages, and signs out`, async ({ page }) => {
    const viewer = await api(role, '{ viewer { role } }');
    assert.equal(viewer.viewer.role.toLowerCase(), role, 'the test key has the role it claims');

    await signIn(page, role, { via, route });
    const url = new URL(page.url());
    assert.equal(url.hash, '', `the key's fragment stays in the address bar: ${page.url()}`);
    assert.ok(!url.search.includes('key='), `the key went into the query string: ${page.url()}`);
    if (via === 'link') {
      assert.equal(url.pathname.replace(/\/+$/, ''), new URL(consoleURL(route)).pathname.replace(/\/+$/, ''), 'the one-click link keeps its route');
    }

    const kept = await storage(page);
    const key = keyOf(role);
    assert.ok(!JSON.stringify(kept.local).includes(key), 'the key must not outlive the browser session (found in localStorage)');
    assert.ok(!kept.cookies.some((c) => c.value.includes(key)), 'the key must not be in a cookie');

    const paths = await navPaths(page);
    for (const p of nav[role].offers) assert.ok(paths.includes(p), `${role}'s nav lacks ${p}; it has ${paths.join(', ')}`);
    for (const p of nav[role].not) assert.ok(!paths.includes(p), `${role}'s nav offers ${p}, which the role may not use`);
    await screenshot(page, `signin-${role}-home`);

    await page.getByTestId('signout').click();
    await page.waitForURL((u) => u.pathname.replace(/\/+$/, '') === '/console/signin');
    await page.getByTestId('signin-key').waitFor({ state: 'visible' });
    const after = await storage(page);
    assert.deepEqual(after.session, {}, 'sign-out leaves sessionStorage empty');
    assert.ok(!JSON.stringify(after.local).includes(key), 'sign-out leaves no key in localStorage');
    assert.equal(await page.getByTestId('viewer-role').isVisible(), false, 'the role badge is gone after sign-out');

    // Signed out, a page of the console sends back to the sign-in.
    await page.goto(consoleURL('/customers'));
    await page.getByTestId('signin-key').waitFor({ state: 'visible' });
  });
}

pageTest('a wrong key shows the error and its code, and does not sign in', async ({ page, watcher }) => {
  // The server answers 401 to the viewer query, which Chromium reports as a console error.
  watcher.allowConsoleError(/status of 401/);
  await page.goto(consoleURL('/signin'));
  await page.getByTestId('signin-key').fill('cdp_this-is-not-a-key');
  await page.getByTestId('signin-submit').click();
  const box = page.getByTestId('error-box');
  await box.waitFor({ state: 'visible' });
  assert.match(await box.innerText(), /UNAUTHENTICATED/, 'the error names its code');
  assert.equal(await page.getByTestId('viewer-role').isVisible(), false, 'no role is shown for a wrong key');
  assert.deepEqual((await storage(page)).session, {}, 'a wrong key is not kept');
  await screenshot(page, 'signin-wrong-key');
});

pageTest('the sign-in page renders before anyone signs in', async ({ page }) => {
  await page.goto(consoleURL('/'));
  await page.getByTestId('signin-key').waitFor({ state: 'visible' });
  await screenshot(page, 'signin');
  // A role badge appears only after a sign-in.
  assert.equal(await page.getByTestId('viewer-role').isVisible(), false, 'no role badge before a sign-in');
  await signIn(page, 'admin', { via: 'form' });
  await assertRole(page, 'admin');
});

pageTest('a link with another key asks before replacing the session, and takes the key out of the address bar at once', async ({ page }) => {
  await signIn(page, 'analyst');
  const { viewer } = await api('analyst', '{ viewer { subject } }');
  // Another path, so the browser loads the page (a fragment-only change would not).
  await page.goto(`${consoleURL('/customers')}#key=${encodeURIComponent(keyOf('admin'))}`);
  const panel = page.getByTestId('switch-key');
  await panel.waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).hash, '', 'the link\'s key left the address bar before any answer');
  assert.match(await panel.innerText(), new RegExp(`Switch from Analyst ${viewer.subject} to the key in this link\\?`));
  await assertRole(page, 'analyst');

  await panel.getByTestId('switch-key-keep').click();
  await panel.waitFor({ state: 'detached' });
  await assertRole(page, 'analyst');

  await page.goto(`${consoleURL('/')}#key=${encodeURIComponent(keyOf('admin'))}`);
  await page.getByTestId('switch-key-switch').click();
  await page.getByTestId('switch-key').waitFor({ state: 'detached' });
  await assertRole(page, 'admin');
  assert.ok((await navPaths(page)).includes('/console/audit'), 'the admin\'s pages after switching');

  // The same key again asks nothing.
  await page.goto(`${consoleURL('/customers')}#key=${encodeURIComponent(keyOf('admin'))}`);
  await assertRole(page, 'admin');
  assert.equal(await page.getByTestId('switch-key').count(), 0, 'no question for the key already in use');
});
