// The person's own account in the web app, from the keyboard: change the password (the other
// session ends, this one goes on), log out everywhere, export everything, delete the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { env, launch, openApp, openExt, randomVideo, waitFor } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** iat is whole seconds: a revocation in the same second as a login leaves its token valid (docs/protocol.md). */
async function nextSecond() {
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens the Account panel from the keyboard: focus the header button, Enter. */
async function openAccount(app) {
  await app.focus('#account-toggle');
  await app.keyboard.press('Enter');
  await app.waitForSelector('#account-view:not([hidden])');
  assert.equal(await app.evaluate(() => document.activeElement.id), 'current-password', 'the focus moves into the panel');
}

async function login(api, user, password) {
  return fetch(`${api}/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }),
  });
}

test('changing the password ends the other session; this page goes on connected', async () => {
  const user = 'account-pw';
  const other = await openApp(await browser.newContext(), { origin: env.url, user });
  const app = await openApp(await browser.newContext(), { origin: env.url, user });
  await nextSecond();
  await openAccount(app);

  await app.keyboard.type(env.password);
  await app.keyboard.press('Tab');
  await app.keyboard.type('short');
  await app.keyboard.press('Enter');
  await waitFor(app, () => document.getElementById('password-error').textContent.includes('at least 8 characters'));

  await app.fill('#new-password', 'a-brand-new-password');
  await app.press('#new-password', 'Enter');
  await waitFor(app, () => document.getElementById('account-notice').textContent.startsWith('Password changed'));
  await waitFor(other, () => !document.getElementById('login-view').hidden, undefined, 20_000);
  assert.match(await other.textContent('#login-error'), /session has ended/);
  // This page's socket was refused as revoked and came back with the new cookie's token.
  await waitFor(app, () => document.getElementById('connection').classList.contains('connected'), undefined, 20_000);
  assert.equal(await app.isVisible('#app-view'), true);
  assert.equal((await login(env.url, user, env.password)).status, 401, 'the old password is gone');
  assert.equal((await login(env.url, user, 'a-brand-new-password')).status, 200);
});

test('log out everywhere ends this page and another one', async () => {
  const user = 'account-out';
  const other = await openApp(await browser.newContext(), { origin: env.url, user });
  const app = await openApp(await browser.newContext(), { origin: env.url, user });
  await nextSecond();
  await openAccount(app);
  await app.focus('#logout-all');
  await app.keyboard.press('Enter');
  await waitFor(app, () => !document.getElementById('login-view').hidden);
  assert.match(await app.textContent('#login-error'), /logged out everywhere/);
  await waitFor(other, () => !document.getElementById('login-view').hidden, undefined, 20_000);
});

test('export everything downloads every video as JSON and as Markdown that shows note text as text', async () => {
  const user = 'account-export';
  const context = await browser.newContext({ acceptDownloads: true });
  const ext = await openExt(context, env.url, { user });
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  const [first, second] = [randomVideo(), randomVideo()];
  await ext.evaluate((n) => window.ext.client.addNote(n), { videoUrl: first, text: '<img src=x onerror=alert(1)>', timestamp: 3 });
  await ext.evaluate((n) => window.ext.client.addNote(n), { videoUrl: second, text: 'plain', timestamp: 7 });
  await waitFor(ext, () => window.ext.confirmed.length === 2);

  const app = await openApp(context, { origin: env.url, user });
  await openAccount(app);
  await app.focus('#export-all-json');
  const [json] = await Promise.all([app.waitForEvent('download'), app.keyboard.press('Enter')]);
  assert.match(json.suggestedFilename(), /^notesync-export-account-export\.json$/);
  const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(exported.username, user);
  assert.deepEqual(exported.videos.map((v) => v.notes.map((n) => n.text)).flat().sort(), ['<img src=x onerror=alert(1)>', 'plain']);

  const [markdown] = await Promise.all([app.waitForEvent('download'), app.click('#export-all-md')]);
  assert.match(markdown.suggestedFilename(), /\.md$/);
  const text = await readFile(await markdown.path(), 'utf8');
  assert.ok(!text.includes('<img'), text);
  assert.ok(text.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'), text);
  await context.close();
});

test('deleting the account asks for the password, then the account and its notes are gone', async () => {
  const user = 'account-delete';
  const context = await browser.newContext();
  const ext = await openExt(context, env.url, { user });
  await ext.evaluate(() => window.ext.client.start());
  await waitFor(ext, () => window.ext.state === 'connected');
  await ext.evaluate((n) => window.ext.client.addNote(n), { videoUrl: randomVideo(), text: 'to be deleted', timestamp: 1 });
  await waitFor(ext, () => window.ext.confirmed.length === 1);

  const app = await openApp(context, { origin: env.url, user });
  await openAccount(app);
  await app.fill('#delete-password', 'not-the-password');
  await app.press('#delete-password', 'Enter');
  await waitFor(app, () => document.getElementById('delete-error').textContent.length > 0);
  assert.equal(await app.isVisible('#app-view'), true, 'a wrong password deletes nothing');

  await nextSecond();
  await app.fill('#delete-password', env.password);
  await app.press('#delete-password', 'Enter');
  await waitFor(app, () => !document.getElementById('login-view').hidden);
  assert.match(await app.textContent('#login-error'), /deleted/);
  assert.equal((await login(env.url, user, env.password)).status, 401, 'the user is gone');
  await context.close();
});
