// The screenshot the README shows: the app with a few notes on a video, taken from the real page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { env, launch, openApp, openExt, openVideo, waitFor } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LECTURE = 'https://www.youtube.com/watch?v=8aGhZQkoFbQ';
const TALK = 'https://vimeo.com/76979871';
const NOTES = [
  [LECTURE, 'The call stack: one thing at a time', 95],
  [LECTURE, 'setTimeout(cb, 0) does not run cb right away; it waits for the stack to clear', 312.4],
  [LECTURE, 'Render queue vs callback queue: why a long loop freezes the page', 740],
  [LECTURE, '"Don\'t block the event loop"', 1502],
  [TALK, 'Intro: why the old design hit a wall', 48],
  [TALK, 'Benchmark slide, numbers worth rechecking', 1260],
];

test('a screenshot of the app with notes', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 640 }, deviceScaleFactor: 1 });
  const ext = await openExt(context, env.url, { user: env.screenshotUser });
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  for (const [videoUrl, text, timestamp] of NOTES) {
    await ext.evaluate((note) => window.ext.client.addNote(note), { videoUrl, text, timestamp });
  }
  await waitFor(ext, (n) => window.ext.confirmed.length === n, NOTES.length);
  await ext.close();

  const app = await openApp(context, { user: env.screenshotUser });
  await openVideo(app, LECTURE);
  await waitFor(app, () => document.querySelectorAll('#videos li').length === 2);
  await app.fill('#note-time', '25:40');
  await app.fill('#note-text', 'Loupe: a tool to watch it happen');
  await app.press('#note-text', 'Enter');
  await waitFor(app, () => document.querySelectorAll('#notes li').length === 5 && document.getElementById('outbox').textContent === '0');
  await app.evaluate(() => document.querySelectorAll('.new').forEach((e) => e.classList.remove('new')));
  await app.focus('#note-text');
  mkdirSync(dirname(env.screenshot), { recursive: true });
  await app.screenshot({ path: env.screenshot, fullPage: true });
  assert.equal(await app.textContent('#connection'), 'connected');
  await context.close();
});
