// Token expiry in the browser: the extension page's 3-second access token expires mid-session;
// invalidToken leads to POST /refresh with the HttpOnly cookie, the resend is confirmed, and each
// note is stored once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openExt, randomVideo, storedTexts, waitFor, count, sleep } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an expired token is refreshed through the HttpOnly cookie and every note is stored once', async () => {
  const context = await browser.newContext();
  const ext = await openExt(context, env.expiryUrl, { login: false });
  const { status, body } = await ext.evaluate(([u, p]) => window.ext.login(u, p), [env.user, env.password]);
  assert.equal(status, 200);
  assert.equal(body.expiresIn, 3);

  const refreshes = [];
  ext.on('request', (request) => {
    if (new URL(request.url()).pathname === '/refresh') refreshes.push(request);
  });
  const cookies = await context.cookies(env.expiryUrl);
  const refreshCookie = cookies.find((c) => c.name === 'notesync_refresh');
  assert.ok(refreshCookie, 'the login set the refresh cookie');
  assert.equal(refreshCookie.httpOnly, true);
  assert.equal(await ext.evaluate(() => document.cookie.includes('notesync_refresh')), false,
    'page script cannot read the refresh cookie');

  await ext.evaluate((token) => window.ext.client.start(token), body.accessToken);
  await waitFor(ext, () => window.ext.state === 'connected');
  const video = randomVideo();
  // One note every 400 ms for 8 s: the token expires twice while they go out.
  const texts = [];
  for (let i = 0; i < 20; i++) {
    const text = `note ${i}`;
    texts.push(text);
    await ext.evaluate(([videoUrl, t, ts]) => window.ext.client.addNote({ videoUrl, text: t, timestamp: ts }), [video, text, i]);
    await sleep(400);
  }
  await waitFor(ext, () => window.ext.client.outbox().length === 0, undefined, 20_000);

  const invalid = await ext.evaluate(() => window.ext.events.filter((e) => e.type === 'invalidToken').map((e) => e.detail));
  assert.ok(invalid.length >= 1, 'the server said invalidToken at least once');
  assert.ok(invalid.every((d) => d.reason === 'expired'), JSON.stringify(invalid));
  assert.ok(refreshes.length >= 1, 'the client called /refresh');
  for (const request of refreshes) {
    assert.equal(request.method(), 'POST');
    assert.match(await request.headerValue('cookie') ?? '', /notesync_refresh=/, 'the HttpOnly cookie went with /refresh');
    assert.equal((await request.response())?.status(), 200);
  }
  assert.equal(await ext.evaluate(() => document.cookie.includes('notesync_refresh')), false);
  const confirmed = await ext.evaluate(() => window.ext.confirmed.length);
  assert.ok(confirmed >= texts.length);

  const stored = await storedTexts(env.expiryUrl, video);
  for (const text of texts) {
    assert.equal(count(stored, text), 1, `${text} stored once`);
  }
  assert.equal(stored.length, texts.length);
  await context.close();
});
