// Managing notes in the web app: edit and delete (seen live in another page of the same user),
// the time as a link to the video at that moment, and the exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { env, launch, openApp, openExt, openVideo, randomVideo, shownNotes, storedTexts, waitFor, sleep } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Stores notes through the reference client of an extension-like page; returns that page (still connected). */
async function addNotes(context, notes) {
  const ext = await openExt(context, env.url);
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  const before = await ext.evaluate(() => window.ext.confirmed.length);
  for (const note of notes) {
    await ext.evaluate((n) => window.ext.client.addNote(n), note);
  }
  await waitFor(ext, (n) => window.ext.confirmed.length === n, before + notes.length);
  return ext;
}

/**
 * Opens any video (not only YouTube) in the app and waits until it shows exactly `texts` (the
 * previous video's list stays until the new answer arrives, so a count alone would not do).
 */
async function openAnyVideo(app, videoUrl, texts) {
  await app.fill('#video-url', videoUrl);
  await app.press('#video-url', 'Enter');
  await waitFor(app, (expected) => JSON.stringify([...document.querySelectorAll('#notes .text')].map((e) => e.textContent))
    === JSON.stringify(expected), texts);
}

const liWithText = (text) => `#notes li:has(.text:text-is("${text}"))`;

test('an edit in one page shows in the other; a delete (after its confirm step) removes the note from both', async () => {
  const context = await browser.newContext();
  const video = randomVideo();
  const ext = await addNotes(context, [
    { videoUrl: video, text: 'typo hree', timestamp: 3 },
    { videoUrl: video, text: 'delete me', timestamp: 7 },
    { videoUrl: video, text: 'keep me', timestamp: 9 },
  ]);
  const pageA = await openApp(context, { origin: env.url });
  await openVideo(pageA, video);
  const pageB = await openApp(context, { origin: env.url });
  await openVideo(pageB, video);
  await waitFor(pageB, () => document.querySelectorAll('#notes li').length === 3);

  // Edit, from the keyboard: Edit button, the text box, Enter saves.
  await pageA.focus(`${liWithText('typo hree')} button.edit`);
  await pageA.keyboard.press('Enter');
  await pageA.waitForSelector('#notes .edit-text');
  assert.equal(await pageA.evaluate(() => document.activeElement.className), 'edit-text', 'the text box has the focus');
  await pageA.fill('#notes .edit-text', 'typo three, <b>fixed</b>');
  await pageA.keyboard.press('Enter');
  await waitFor(pageB, () => [...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'typo three, <b>fixed</b>'));
  await waitFor(pageA, () => !document.querySelector('#notes .edit-form'));
  assert.equal(await pageB.$$eval('#notes b', (bold) => bold.length), 0, 'note text stays text');

  // Delete: the first press only asks; Keep leaves the note; Delete removes it everywhere.
  await pageA.click(`${liWithText('delete me')} button.delete`);
  await pageA.waitForSelector('#notes .confirm');
  assert.equal(await pageA.evaluate(() => document.activeElement.textContent), 'Keep', 'the safe choice has the focus');
  await pageA.keyboard.press('Enter'); // Keep
  await pageA.waitForSelector('#notes .confirm', { state: 'detached' });
  await sleep(300);
  assert.equal((await shownNotes(pageB)).length, 3, 'nothing deleted by Keep');
  await pageA.click(`${liWithText('delete me')} button.delete`);
  await pageA.click('#notes .confirm-delete');
  await waitFor(pageB, () => ![...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'delete me'));
  await waitFor(pageA, () => ![...document.querySelectorAll('#notes .text')].some((e) => e.textContent === 'delete me'));

  const expected = [{ time: '0:03', text: 'typo three, <b>fixed</b>' }, { time: '0:09', text: 'keep me' }];
  assert.deepEqual(await shownNotes(pageA), expected);
  assert.deepEqual(await shownNotes(pageB), expected);
  assert.deepEqual(await storedTexts(env.url, video), ['typo three, <b>fixed</b>', 'keep me']);

  // The reference client hands both events to an extension.
  await waitFor(ext, () => window.ext.events.some((e) => e.type === 'noteDeleted'));
  const events = await ext.evaluate(() => window.ext.events.filter((e) => e.type.startsWith('note')).map((e) => [e.type, e.detail]));
  assert.deepEqual(events.map(([type]) => type), ['noteUpdated', 'noteDeleted']);
  assert.equal(events[0][1].note.text, 'typo three, <b>fixed</b>');
  assert.match(events[1][1].videoKey, /^youtube:/);
  await context.close();
});

test("a note's time links to the video at that moment, in a new tab", async () => {
  const context = await browser.newContext();
  const youtube = randomVideo();
  const vimeo = `https://vimeo.com/${Math.floor(1e8 + Math.random() * 8e8)}`;
  const other = `https://videos.example.com/talk-${Math.random().toString(36).slice(2)}.mp4`;
  await addNotes(context, [
    { videoUrl: `${youtube}&t=5s`, text: 'on youtube', timestamp: 95.8 },
    { videoUrl: `${vimeo}#t=3s`, text: 'on vimeo', timestamp: 1260.2 },
    { videoUrl: other, text: 'elsewhere', timestamp: 42 },
  ]);
  const app = await openApp(context, { origin: env.url });
  const linkOf = (text) => app.$eval(`${liWithText(text)} a.at`, (a) => ({
    href: a.getAttribute('href'), target: a.target, rel: a.rel, time: a.querySelector('time').textContent }));

  await openAnyVideo(app, youtube, ['on youtube']);
  assert.deepEqual(await linkOf('on youtube'),
    { href: `${youtube}&t=95s`, target: '_blank', rel: 'noopener noreferrer', time: '1:35' });
  await openAnyVideo(app, vimeo, ['on vimeo']);
  assert.deepEqual(await linkOf('on vimeo'),
    { href: `${vimeo}#t=1260s`, target: '_blank', rel: 'noopener noreferrer', time: '21:00' });
  await openAnyVideo(app, other, ['elsewhere']);
  assert.deepEqual(await linkOf('elsewhere'),
    { href: other, target: '_blank', rel: 'noopener noreferrer', time: '0:42' });
  await context.close();
});

test('Export downloads the open video\'s notes as Markdown and as JSON', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const video = randomVideo();
  await addNotes(context, [
    { videoUrl: video, text: 'second, two lines\nline two', timestamp: 75 },
    { videoUrl: video, text: 'first [with brackets]', timestamp: 4.5 },
  ]);
  const app = await openApp(context, { origin: env.url });
  await openVideo(app, video);
  await waitFor(app, () => document.querySelectorAll('#notes li').length === 2);

  const [markdown] = await Promise.all([app.waitForEvent('download'), app.click('#export-md')]);
  assert.match(markdown.suggestedFilename(), /^notesync-youtube-[A-Za-z0-9-]+\.md$/);
  assert.equal(await readFile(await markdown.path(), 'utf8'), [
    `# Notes on ${video}`,
    '',
    `- [0:04](${video}&t=4s) first \\[with brackets\\]`, // escaped: a Markdown viewer shows the brackets as written
    `- [1:15](${video}&t=75s) second, two lines`,
    '  line two',
    '',
  ].join('\n'));

  const [json] = await Promise.all([app.waitForEvent('download'), app.click('#export-json')]);
  assert.match(json.suggestedFilename(), /\.json$/);
  const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(exported.videoUrl, video);
  assert.match(exported.videoKey, /^youtube:/);
  assert.deepEqual(exported.notes.map((n) => [n.text, n.timestamp, n.link]), [
    ['first [with brackets]', 4.5, `${video}&t=4s`],
    ['second, two lines\nline two', 75, `${video}&t=75s`],
  ]);
  assert.ok(exported.notes.every((n) => typeof n.id === 'string' && typeof n.createdAt === 'string'));
  await context.close();
});
