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
  const refused = [];
  page.on('response', (response) => { if (response.status() === 403) refused.push(new URL(response.url()).pathname); });
  // Its page names notesync as its server (the notesync-origin meta tag), but notesync does not allow it.
  await page.goto(`${env.otherOrigin}/index.html`);
  await page.waitForSelector('#login-view:not([hidden])');
  await page.fill('#username', env.user);
  await page.fill('#password', env.password);
  await page.press('#password', 'Enter');
  await page.waitForFunction(() => document.getElementById('login-error').textContent !== '');
  assert.equal(await page.isVisible('#app-view'), false);
  // A simple POST needs no preflight and runs on the server: it must be refused there too.
  const status = await page.evaluate(async ([api, username, password]) => {
    await fetch(`${api}/auth/login`, { method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ username, password }) });
    return 'sent';
  }, [env.url, env.user, env.password]);
  assert.equal(status, 'sent');
  await sleep(300);
  const cookies = await context.cookies(env.url);
  assert.deepEqual(cookies.filter((c) => c.name === 'notesync_refresh'), [], 'no refresh cookie was set');
  assert.ok(refused.includes('/auth/login') || refused.includes('/refresh'), `403s seen: ${refused}`);
  await context.close();
});

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
