// Note text is untrusted: the app renders it as text, whether it added the note or got it live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, openApp, openExt, openVideo, randomVideo, shownNotes, waitFor, sleep } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a note of HTML shows as text and no dialog opens', async () => {
  const context = await browser.newContext();
  const dialogs = [];
  context.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  const video = randomVideo();
  const app = await openApp(context);
  app.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss().catch(() => {}); });
  await openVideo(app, video);
  const typed = '<img src=x onerror=alert(1)>';
  await app.fill('#note-text', typed);
  await app.press('#note-text', 'Enter');
  await waitFor(app, (t) => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === t), typed);

  const live = '<script>alert(2)</script><b onmouseover=alert(3)>bold</b>';
  const ext = await openExt(context, env.url, { login: false });
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  await ext.evaluate(([videoUrl, text]) => window.ext.client.addNote({ videoUrl, text, timestamp: 7 }), [video, live]);
  await waitFor(app, (t) => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === t), live);
  await app.hover('#notes li:last-child');
  await sleep(1000);

  assert.deepEqual((await shownNotes(app)).map((n) => n.text), [typed, live]);
  assert.equal(await app.$$eval('#notes img, #notes script, #notes b', (found) => found.length), 0, 'no element was made from a note');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  await context.close();
});
