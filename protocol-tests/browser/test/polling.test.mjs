// Long-polling only, cross-origin with credentials: sending and receiving work, and no WebSocket
// is ever opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openExt, randomVideo, storedTexts, waitFor } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('transports: polling works cross-origin with credentials', async () => {
  const context = await browser.newContext();
  const websockets = [];
  const polls = [];
  context.on('websocket', (ws) => websockets.push(ws.url()));
  context.on('response', (response) => {
    if (response.url().includes('/socket.io/?EIO=4&transport=polling')) polls.push(response);
  });
  const video = randomVideo();
  const sender = await openExt(context, env.url, { transports: 'polling' });
  const receiver = await openExt(context, env.url, { transports: 'polling', login: false });
  for (const page of [sender, receiver]) {
    await page.evaluate(() => window.ext.client.start());
    await waitFor(page, () => window.ext.state === 'connected');
  }
  await sender.evaluate((videoUrl) => window.ext.client.addNote({ videoUrl, text: 'over long-polling', timestamp: 3 }), video);
  await waitFor(sender, () => window.ext.confirmed.length === 1);
  await waitFor(receiver, () => window.ext.fPackets.length === 1);

  assert.deepEqual(websockets, [], 'no WebSocket');
  assert.ok(polls.length > 0, 'polling requests were made');
  for (const response of polls) {
    const headers = await response.allHeaders();
    assert.equal(headers['access-control-allow-origin'], env.appOrigin);
    assert.equal(headers['access-control-allow-credentials'], 'true');
  }
  assert.deepEqual(await storedTexts(env.url, video), ['over long-polling']);
  await context.close();
});
