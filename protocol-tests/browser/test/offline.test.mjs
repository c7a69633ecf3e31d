// Offline: the server stops while notes are added; they survive a page reload in localStorage,
// and when the server is back (same port, same data) they are sent, confirmed and stored once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openExt, randomVideo, storedTexts, waitFor, count } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function control(action) {
  const response = await fetch(`${env.controlUrl}/offline/${action}`, { method: 'POST' });
  assert.equal(response.status, 204, `offline server ${action}`);
}

test('notes added while the server is down survive a reload and are stored once when it is back', async () => {
  const context = await browser.newContext();
  const video = randomVideo();
  const ext = await openExt(context, env.offlineUrl);
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  await ext.evaluate((videoUrl) => window.ext.client.addNote({ videoUrl, text: 'before the outage', timestamp: 1 }), video);
  await waitFor(ext, () => window.ext.confirmed.length === 1);

  await control('stop');
  await waitFor(ext, () => window.ext.state !== 'connected');
  for (const [i, text] of ['during the outage 1', 'during the outage 2', 'during the outage 3'].entries()) {
    await ext.evaluate(([videoUrl, t, ts]) => window.ext.client.addNote({ videoUrl, text: t, timestamp: ts }), [video, text, 10 + i]);
  }
  assert.equal((await ext.evaluate(() => window.ext.outboxKeys())).length, 3, 'three packets in localStorage');

  await ext.reload();
  await ext.waitForFunction(() => window.ext !== undefined);
  assert.equal((await ext.evaluate(() => window.ext.outboxKeys())).length, 3, 'still there after the reload');
  await ext.evaluate(() => { window.ext.started = window.ext.client.start(); });
  await ext.evaluate(() => window.ext.client.loaded);
  assert.equal(await ext.evaluate(() => window.ext.client.outbox().length), 3, 'the client loaded them');

  await control('start');
  await waitFor(ext, () => window.ext.client.outbox().length === 0, undefined, 30_000);
  assert.deepEqual(await ext.evaluate(() => window.ext.outboxKeys()), []);
  assert.equal(await ext.evaluate(() => window.ext.confirmed.length), 3);

  const stored = await storedTexts(env.offlineUrl, video);
  assert.deepEqual(stored, ['before the outage', 'during the outage 1', 'during the outage 2', 'during the outage 3']);
  await context.close();
});
