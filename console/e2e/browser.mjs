// The browser side of the console's end-to-end tests, without node:test, so measure.mjs can
// use it too; lib.mjs adds the test helpers. README.md says how to use them.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through go test ./cmd/cdpgraph -run TestConsoleE2E (make test does)`);
  return v;
}

/** Base URL of the server, without a trailing slash (e.g. http://127.0.0.1:41234). */
export const serverURL = required('CONSOLE_URL').replace(/\/+$/, '');
export const origin = new URL(serverURL).origin;
/** The console's own base path: every route is under it. */
export const consoleBase = `${serverURL}/console`;
export const screenshotDir = process.env.SCREENSHOT_DIR || path.join(here, 'screenshots');
export const roles = ['admin', 'analyst', 'frontend', 'partner'];

const keyEnv = { admin: 'CDP_ADMIN_KEY', analyst: 'CDP_ANALYST_KEY', frontend: 'CDP_FRONTEND_KEY', partner: 'CDP_PARTNER_KEY' };

/** The API key of a role, from the environment. */
export function keyOf(role) {
  const env = keyEnv[role];
  if (!env) throw new Error(`unknown role ${role}: one of ${roles.join(', ')}`);
  return required(env);
}

/** A console URL: consoleURL('/customers/c1') is http://host/console/customers/c1. */
export function consoleURL(route = '/') {
  return consoleBase + (route.startsWith('/') ? route : '/' + route);
}

let browserPromise;

/** The Chromium of this process, launched on first use; closeBrowser() ends it. */
export function browser() {
  browserPromise ??= launch();
  return browserPromise;
}

export async function closeBrowser() {
  if (browserPromise) await (await browserPromise).close();
  browserPromise = undefined;
}

/** Launches Debian's Chromium ($CHROMIUM overrides /usr/bin/chromium) headless, as root in a container. */
export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: apt-get install -y chromium (or set CHROMIUM to a Chromium binary)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // A container's root user has no sandbox and a small /dev/shm; no GPU either.
    args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
      '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--metrics-recording-only', '--lang=en-GB'],
  });
}

/**
 * Watches a browser context for what must never happen on a console page: a request to any
 * origin but the server's (it is also aborted, so nothing leaves), a request whose URL carries
 * an API key, an uncaught exception, a console error, a CSP violation. check() throws listing them.
 */
export class Watcher {
  constructor() {
    this.foreign = [];
    this.leakedKeys = [];
    this.errors = [];
    this.allowed = [];
  }

  /** Console errors matching re are expected in this test (e.g. /status of 401/ for a wrong key). */
  allowConsoleError(re) {
    this.allowed.push(re);
  }

  async attach(context) {
    const secrets = roles.map((r) => process.env[keyEnv[r]]).filter(Boolean);
    const seeRequest = (url, kind) => {
      if (!isSameOrigin(url)) this.foreign.push(`${kind} ${url}`);
      for (const s of secrets) if (url.includes(s) || url.includes(encodeURIComponent(s))) this.leakedKeys.push(`${kind} ${redact(url, s)}`);
    };
    // The first navigation carries #key=; a fragment is never sent, so strip it before looking.
    context.on('request', (req) => seeRequest(req.url().replace(/#.*$/, ''), req.resourceType()));
    await context.route((url) => !isSameOrigin(url.href), (route) => route.abort('blockedbyclient'));
    await context.exposeBinding('__cdpE2ECspViolation', (_src, v) => this.errors.push(`CSP violation: ${v}`));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cdpE2ECspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    context.on('page', (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
  }

  watchPage(page) {
    page.on('pageerror', (err) => this.errors.push(`uncaught: ${err.stack || err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (this.allowed.some((re) => re.test(text))) return;
      const loc = msg.location();
      this.errors.push(`console.error: ${text}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    });
    page.on('websocket', (ws) => {
      if (!isSameOrigin(ws.url().replace(/^ws/, 'http'))) this.foreign.push(`websocket ${ws.url()}`);
    });
  }

  problems() {
    return [
      ...this.foreign.map((r) => `request to another origin than ${origin}: ${r}`),
      ...this.leakedKeys.map((r) => `an API key in a request URL: ${r}`),
      ...this.errors,
    ];
  }

  check() {
    const p = this.problems();
    assert.equal(p.length, 0, `the page misbehaved:\n  ${p.join('\n  ')}`);
  }
}

function isSameOrigin(url) {
  // data:, blob: and about: URLs never leave the browser.
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function redact(url, secret) {
  return url.split(secret).join('<key>').split(encodeURIComponent(secret)).join('<key>');
}

/** A fresh browser context (no storage) with a watcher, and its first page. */
export async function newPage({ viewport = { width: 1440, height: 900 } } = {}) {
  const context = await (await browser()).newContext({ viewport, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const watcher = new Watcher();
  await watcher.attach(context);
  const page = await context.newPage();
  return { context, page, watcher };
}

/**
 * Signs page in as role. via 'link' (the default) opens route with #key=<key>, as the demo's
 * one-click link does; via 'form' fills the sign-in form, then opens route. Returns when the
 * header shows the role.
 */
export async function signIn(page, role, { via = 'link', route = '/' } = {}) {
  const key = keyOf(role);
  if (via === 'link') {
    await page.goto(`${consoleURL(route)}#key=${encodeURIComponent(key)}`);
  } else if (via === 'form') {
    await page.goto(consoleURL('/signin'));
    await page.getByTestId('signin-key').fill(key);
    await page.getByTestId('signin-submit').click();
  } else {
    throw new Error(`signIn via ${via}: 'link' or 'form'`);
  }
  await assertRole(page, role);
  if (via === 'form' && route !== '/') await gotoRoute(page, route);
}

/** The header's role badge names role (case-insensitively). */
export async function assertRole(page, role) {
  const badge = page.getByTestId('viewer-role');
  await badge.waitFor({ state: 'visible' });
  const text = (await badge.innerText()).trim();
  assert.match(text, new RegExp(`\\b${role}\\b`, 'i'), `the header shows role "${text}", want ${role}`);
}

/** Goes to a console route in the signed-in tab (sessionStorage survives a navigation in the same tab). */
export async function gotoRoute(page, route) {
  await page.goto(consoleURL(route));
}

/**
 * Waits until the page's main data has rendered: its root sets data-ready="true" (README.md).
 * Returns the root element's locator.
 */
export async function waitReady(page, { timeout = 30_000 } = {}) {
  const root = page.locator('[data-ready="true"]').first();
  await root.waitFor({ state: 'attached', timeout });
  return root;
}

/** The paths (e.g. /console/audit) the nav links to. */
export async function navPaths(page) {
  const nav = page.getByTestId('nav');
  await nav.waitFor({ state: 'visible' });
  const hrefs = await nav.locator('a[href]').evaluateAll((as) => as.map((a) => new URL(a.href, location.href).pathname));
  return hrefs.map((p) => p.replace(/\/+$/, '') || '/');
}

/** Saves a full-page screenshot as <SCREENSHOT_DIR>/<name>.png for a reviewer; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Calls /graphql as role, to compute what a page should show. Throws on a GraphQL error
 * unless { allowErrors: true }, then returns { data, errors }.
 */
export async function api(role, query, variables = {}, { allowErrors = false } = {}) {
  const res = await fetch(`${serverURL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${keyOf(role)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}, not JSON` }] }));
  if (allowErrors) return body;
  if (body.errors?.length) {
    throw new Error(`api as ${role}: ${body.errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ')}`);
  }
  return body.data;
}

/** Every key and value of the page's sessionStorage and localStorage, and its cookies. */
export async function storage(page) {
  const stores = await page.evaluate(() => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]));
    return { session: dump(sessionStorage), local: dump(localStorage) };
  });
  return { ...stores, cookies: await page.context().cookies() };
}
