// Two pages of one user: the web app from the allowed second origin and an extension-like page
// using the reference client. A note added in one appears in the other exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openApp, openExt, openVideo, randomVideo, shownNotes, storedTexts, waitFor, count, sleep } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a note added in the app or the extension page shows in the other exactly once, and both outboxes empty', async () => {
  const context = await browser.newContext();
  const video = randomVideo();
  const app = await openApp(context);
  await openVideo(app, video);
  const ext = await openExt(context, env.url, { login: false }); // the app's login cookie is enough
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');

  await ext.evaluate((videoUrl) => window.ext.client.addNote({ videoUrl, text: 'from the extension', timestamp: 42.5 }), video);
  await waitFor(app, () => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'from the extension'));

  await app.fill('#note-time', '1:05');
  await app.fill('#note-text', 'from the app');
  await app.press('#note-text', 'Enter');
  await waitFor(ext, () => window.ext.fPackets.some((p) => p.notes.some((n) => n.text === 'from the app')));
  await waitFor(app, () => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'from the app'));
  await waitFor(ext, () => window.ext.client.outbox().length === 0);
  await waitFor(app, () => document.getElementById('outbox').textContent === '0');
  await sleep(1500); // room for a duplicate to show up

  assert.deepEqual(await shownNotes(app), [
    { time: '0:42', text: 'from the extension' },
    { time: '1:05', text: 'from the app' },
  ]);
  const fTexts = await ext.evaluate(() => window.ext.fPackets.flatMap((p) => p.notes.map((n) => n.text)));
  assert.deepEqual(fTexts, ['from the app'], 'the extension page got the app note once, and not its own');
  assert.deepEqual(await ext.evaluate(() => window.ext.outboxKeys()), [], 'nothing left in localStorage');
  const stored = await storedTexts(env.url, video);
  assert.equal(count(stored, 'from the extension'), 1);
  assert.equal(count(stored, 'from the app'), 1);
  assert.equal(stored.length, 2);
  await context.close();
});
