// Shared by the browser tests: launch Debian's Chromium, open the app and the extension-like
// page, talk to notesync from Node (no Origin header) to check what was stored.
import { chromium } from 'playwright-core';

if (!process.env.NOTESYNC_URL) {
  // Run alone (`npm test`), nothing is listening for these tests: say how to run them instead.
  throw new Error('NOTESYNC_URL is not set: these tests talk to servers that BrowserTest starts. Run them through Maven, '
    + 'e.g. NOTESYNC_BROWSER_TESTS=offline.test.mjs mvn -B -q -pl server,protocol-tests verify -Dtest=BrowserTest '
    + '-Dsurefire.failIfNoSpecifiedTests=false (protocol-tests/README.md)');
}

export const env = {
  url: process.env.NOTESYNC_URL,
  expiryUrl: process.env.NOTESYNC_EXPIRY_URL,
  offlineUrl: process.env.NOTESYNC_OFFLINE_URL,
  controlUrl: process.env.NOTESYNC_CONTROL_URL,
  appOrigin: process.env.NOTESYNC_APP_ORIGIN,
  otherOrigin: process.env.NOTESYNC_OTHER_ORIGIN,
  user: process.env.NOTESYNC_USER,
  password: process.env.NOTESYNC_PASSWORD,
  screenshotUser: process.env.NOTESYNC_SCREENSHOT_USER,
  screenshot: process.env.NOTESYNC_SCREENSHOT,
};

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's Chromium; playwright gives each launch a fresh temporary profile (user-data dir). */
export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function randomVideo() {
  return `https://www.youtube.com/watch?v=${Math.random().toString(36).slice(2, 13).padEnd(11, 'x')}`;
}

/** The extension-like page of `origin`, talking to notesync at `api`; logged in when `login`. */
export async function openExt(context, api, { origin = env.appOrigin, transports, login = true, user = env.user } = {}) {
  const page = await context.newPage();
  const query = new URLSearchParams({ api, ...(transports ? { transports } : {}) });
  await page.goto(`${origin}/ext.html?${query}`);
  await page.waitForFunction(() => window.ext !== undefined);
  if (login) {
    const { status } = await page.evaluate(([u, p]) => window.ext.login(u, p), [user, env.password]);
    if (status !== 200) throw new Error(`login from the extension page: ${status}`);
  }
  return page;
}

/**
 * The web app, logged in through its form: by default the copy on the allowed second origin, whose
 * page names notesync (env.url) in its notesync-origin meta tag; `origin: env.url` for notesync's own.
 */
export async function openApp(context, { origin = env.appOrigin, user = env.user, transports } = {}) {
  const page = await context.newPage();
  const query = new URLSearchParams(transports ? { transports } : {});
  await page.goto(`${origin}/index.html?${query}`);
  await page.waitForSelector('#login-view:not([hidden]), #app-view:not([hidden])');
  if (await page.isVisible('#login-view')) {
    await page.fill('#username', user);
    await page.fill('#password', env.password);
    await page.press('#password', 'Enter');
  }
  await page.waitForSelector('#app-view:not([hidden])');
  await page.waitForSelector('#connection.connected');
  return page;
}

export async function openVideo(app, videoUrl) {
  await app.fill('#video-url', videoUrl);
  await app.press('#video-url', 'Enter');
  await app.waitForFunction((url) => document.getElementById('video-url').value === url
    && document.getElementById('video-key').textContent.startsWith('youtube:'), videoUrl);
}

/** The texts the app shows for the open video, in display order. */
export function shownNotes(app) {
  return app.$$eval('#notes li', (items) => items.map((li) => ({
    time: li.querySelector('time').textContent, text: li.querySelector('.text').textContent })));
}

export async function waitFor(page, fn, arg, timeout = 15_000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 100 });
}

/** An access token from Node: no Origin header, so judged by the password alone. */
export async function apiToken(api, user = env.user) {
  const response = await fetch(`${api}/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: env.password }),
  });
  if (!response.ok) throw new Error(`login from node: ${response.status}`);
  return (await response.json()).accessToken;
}

/** What notesync stored for a video, read through the HTTP API. */
export async function storedTexts(api, videoUrl, user = env.user) {
  const token = await apiToken(api, user);
  const response = await fetch(`${api}/api/notes?videoUrl=${encodeURIComponent(videoUrl)}`,
    { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/notes: ${response.status}`);
  return (await response.json()).notes.map((note) => note.text);
}

export function count(list, value) {
  return list.filter((item) => item === value).length;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
