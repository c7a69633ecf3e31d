// The web app served by a notesync that terminates TLS itself (server.tls, a self-signed
// certificate made by BrowserTest at test time): Chromium loads it over https, logs in, keeps the
// Secure refresh cookie, connects over wss and gets a note from a second page of the same user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openVideo, randomVideo, waitFor } from './lib.mjs';

const TLS_URL = process.env.NOTESYNC_TLS_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The app from notesync's own https origin, logged in through its form (or already, by the cookie). */
async function openOwnApp(context) {
  const page = await context.newPage();
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(`${TLS_URL}/`);
  await page.waitForSelector('#login-view:not([hidden]), #app-view:not([hidden])');
  const byForm = await page.isVisible('#login-view');
  if (byForm) {
    await page.fill('#username', env.user);
    await page.fill('#password', env.password);
    await page.press('#password', 'Enter');
  }
  await page.waitForSelector('#app-view:not([hidden])');
  await page.waitForSelector('#connection.connected');
  return { page, sockets, byForm };
}

test('over https: the page logs in, keeps the Secure cookie, connects over wss and receives a note from another page', async () => {
  // The certificate is self-signed: this context accepts it, as a user would after checking it.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const errors = [];
  try {
    const first = await openOwnApp(context);
    first.page.on('pageerror', (e) => errors.push(e.message));

    const cookies = await context.cookies(TLS_URL);
    const refresh = cookies.find((c) => c.name === 'notesync_refresh');
    assert.ok(refresh, `the refresh cookie is kept: ${JSON.stringify(cookies)}`);
    assert.equal(refresh.secure, true);
    assert.equal(refresh.httpOnly, true);

    // A second page of the same user: logged in by the kept cookie alone (no form).
    const second = await openOwnApp(context);
    assert.equal(first.byForm, true);
    assert.equal(second.byForm, false, 'the second page was logged in by the Secure cookie, over https');
    assert.ok([...first.sockets, ...second.sockets].some((url) => url.startsWith('wss://')),
      `a WebSocket over TLS: ${JSON.stringify([...first.sockets, ...second.sockets])}`);

    const video = randomVideo();
    await openVideo(first.page, video);
    await openVideo(second.page, video);
    await second.page.fill('#note-time', '0:07');
    await second.page.fill('#note-text', 'sent over tls');
    await second.page.press('#note-text', 'Enter');
    await waitFor(first.page, () => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'sent over tls'));
    await waitFor(second.page, () => document.getElementById('outbox').textContent === '0');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a browser that does not accept the certificate gets no page', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await assert.rejects(page.goto(`${TLS_URL}/`), /ERR_CERT/);
  } finally {
    await context.close();
  }
});
