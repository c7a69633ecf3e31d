// A page from an origin that notesync does not allow (same site, so cookies would flow) can
// neither log in nor open a socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openExt, apiToken, sleep, waitFor } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the app from a disallowed origin cannot log in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Its page names notesync as its server (the notesync-origin meta tag), but notesync does not allow it.
  await page.goto(`${env.otherOrigin}/index.html`);
  await page.waitForSelector('#login-view:not([hidden])');
  await page.fill('#username', env.user);
  await page.fill('#password', env.password);
  await page.press('#password', 'Enter');
  await page.waitForFunction(() => document.getElementById('login-error').textContent !== '');
  assert.equal(await page.isVisible('#app-view'), false);
  // A simple POST needs no preflight and runs on the server: it must be refused there too. What
  // is checked is the answer to this very POST (the page hides it from the script, not from us).
  const answer = await simpleLogin(page, env.url);
  assert.equal(answer.status(), 403, `the no-cors login from ${env.otherOrigin}`);
  assert.deepEqual(await refreshCookies(context), [], 'no refresh cookie was set');
  await context.close();

  // The control: the same POST from notesync's own origin logs in and leaves the cookie, so the
  // check above would have seen one.
  const own = await browser.newContext();
  const ownPage = await own.newPage();
  await ownPage.goto(`${env.url}/`);
  assert.equal((await simpleLogin(ownPage, env.url)).status(), 200);
  assert.equal((await refreshCookies(own)).length, 1, 'the control login set the refresh cookie');
  await own.close();
});

/** A no-cors, text/plain login POST from the page (no preflight); resolves with the server's response. */
async function simpleLogin(page, api) {
  const response = page.waitForResponse((r) => r.url() === `${api}/auth/login` && r.request().method() === 'POST');
  await page.evaluate(async ([url, username, password]) => {
    await fetch(`${url}/auth/login`, { method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ username, password }) });
  }, [api, env.user, env.password]);
  return response;
}

async function refreshCookies(context) {
  return (await context.cookies(env.url)).filter((c) => c.name === 'notesync_refresh');
}

for (const transports of ['polling', 'websocket']) {
  test(`a disallowed origin cannot open a socket, even with a valid token (${transports})`, async () => {
    const context = await browser.newContext();
    const page = await openExt(context, env.url, { origin: env.otherOrigin, transports, login: false });
    const token = await apiToken(env.url);
    await page.evaluate((t) => { window.ext.client.start(t); }, token);
    // It tries (however long a busy machine takes to get there), then has time to fail to connect.
    await waitFor(page, () => window.ext.events.some((e) => e.type === 'connection'));
    await sleep(2500);
    const states = await page.evaluate(() => window.ext.events.filter((e) => e.type === 'connection').map((e) => e.detail.state));
    assert.ok(states.length > 0, 'the client tried');
    assert.ok(!states.includes('connected'), `never connected: ${states}`);
    assert.equal(await page.evaluate(() => window.ext.client.connected), false);
    await context.close();
  });
}
