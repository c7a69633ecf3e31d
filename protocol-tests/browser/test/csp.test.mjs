// notesync's own pages carry a Content-Security-Policy (code and connections from notesync's
// origin only), Referrer-Policy and nosniff, and the app works under that policy in Chromium with
// no violation: log in, connect, send a note, receive one live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openApp, openExt, openVideo, randomVideo, storedTexts, waitFor } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const FILES = ['/', '/index.html', '/app.js', '/app.css', '/client/notesync-client.js', '/socket.io/socket.io.esm.min.js'];

/** The policy as a map of directive name to its sources. */
function directives(policy) {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

test('the page, the bundle and the client module carry the policy and the other security headers', async () => {
  const host = new URL(env.url).host;
  for (const path of FILES) {
    const response = await fetch(env.url + path);
    assert.equal(response.status, 200, path);
    const csp = directives(response.headers.get('content-security-policy') ?? '');
    assert.deepEqual(csp.get('default-src'), ["'self'"], path);
    assert.deepEqual(csp.get('script-src'), ["'self'"], path);
    assert.deepEqual(csp.get('object-src'), ["'none'"], path);
    assert.deepEqual(csp.get('base-uri'), ["'none'"], path);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], path);
    // Exactly notesync's own origin and its WebSocket form.
    assert.deepEqual(csp.get('connect-src'), ["'self'", `ws://${host}`, `wss://${host}`], path);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
  }
});

test('HEAD answers the Content-Length of GET', async () => {
  for (const path of FILES) {
    const get = await fetch(env.url + path);
    const body = Buffer.from(await get.arrayBuffer());
    const head = await fetch(env.url + path, { method: 'HEAD' });
    assert.equal(head.status, 200, path);
    assert.equal(get.headers.get('content-length'), String(body.length), path);
    assert.equal(head.headers.get('content-length'), String(body.length), `HEAD ${path}`);
    assert.equal(head.headers.get('content-security-policy'), get.headers.get('content-security-policy'), `HEAD ${path}`);
  }
});

test("the app on notesync's own origin logs in, connects, sends and receives with no CSP violation", async () => {
  const context = await browser.newContext();
  const violations = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations = [...(window.cspViolations ?? []), `${e.violatedDirective} ${e.blockedURI}`];
    });
  });
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const video = randomVideo();
  const app = await openApp(context, { origin: env.url }); // waits for the login and the connection
  await openVideo(app, video);

  await app.fill('#note-time', '0:12');
  await app.fill('#note-text', 'sent under the policy');
  await app.press('#note-text', 'Enter');
  await waitFor(app, () => document.getElementById('outbox').textContent === '0'
    && [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'sent under the policy'));

  const ext = await openExt(context, env.url, { login: false }); // the app's login cookie is enough
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  await ext.evaluate((videoUrl) => window.ext.client.addNote({ videoUrl, text: 'received under the policy', timestamp: 30 }), video);
  await waitFor(app, () => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'received under the policy'));

  assert.deepEqual((await storedTexts(env.url, video)).sort(), ['received under the policy', 'sent under the policy']);
  assert.deepEqual(await app.evaluate(() => window.cspViolations ?? []), [], 'securitypolicyviolation events');
  assert.deepEqual(violations, [], 'CSP messages in the console');
  assert.ok(await app.isVisible('#connection.connected'));
  await context.close();
});
