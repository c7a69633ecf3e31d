// docs/protocol.md: "HTTP API" (login, refresh, logout, Origin and CORS), "invalidToken", and the
// per-packet accessToken. Runs against the servers JsClientTest starts:
//   NOTESYNC_AUTH_URL           HS256; access tokens live 3 s, grace window 2 s, 3 failed logins
//                               per user, allowed origins NOTESYNC_ALLOWED_ORIGINS; seeded users
//   NOTESYNC_SHORT_REFRESH_URL  refresh tokens live 2 s; the same seeded users
//   NOTESYNC_RS_URL             RS256 verify-only with iss/aud required; keys in NOTESYNC_RS_*_KEY
// Seeded users: NOTESYNC_AUTH_USERS, each with the password "pw-NAME-secret".

import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterEach, describe, test } from 'node:test';
import {
  base64url,
  closeAll,
  connect,
  expiredTokenFor,
  mintToken,
  newUser,
  newVideoUrl,
  open,
  packet,
  refused,
  request,
  sleep,
  tokenFor,
} from './support.mjs';

const AUTH_URL = process.env.NOTESYNC_AUTH_URL;
const SHORT_REFRESH_URL = process.env.NOTESYNC_SHORT_REFRESH_URL;
const RS_URL = process.env.NOTESYNC_RS_URL;
const [WEB_APP_ORIGIN, EXTENSION_ORIGIN] = (process.env.NOTESYNC_ALLOWED_ORIGINS ?? '').split(',');
const EVIL_ORIGIN = 'https://evil.example.test';
const COOKIE = 'notesync_refresh';
const ACCESS_TTL_MS = 3000;
const GRACE_MS = 2000;

const users = (process.env.NOTESYNC_AUTH_USERS ?? '').split(',').filter(Boolean);
/** A seeded user no other test uses (login throttling and revocation must not leak between tests). */
function takeUser() {
  const user = users.shift();
  assert.ok(user, 'JsClientTest seeds enough users for every test');
  return user;
}
const passwordOf = (user) => `pw-${user}-secret`;

afterEach(closeAll);

// ---------------------------------------------------------------------------------------------
// HTTP helpers

function login(username, password = passwordOf(username), { base = AUTH_URL, headers = {} } = {}) {
  return request('/auth/login', { method: 'POST', base, headers, body: { username, password } });
}

function refresh(cookie, { base = AUTH_URL, path = '/refresh', headers = {} } = {}) {
  return request(path, { method: 'POST', base, headers: { ...(cookie ? { Cookie: `${COOKIE}=${cookie}` } : {}), ...headers } });
}

function logout(cookie, { base = AUTH_URL, headers = {} } = {}) {
  return request('/auth/logout', { method: 'POST', base, headers: { ...(cookie ? { Cookie: `${COOKIE}=${cookie}` } : {}), ...headers } });
}

/** The Set-Cookie header lines of a response (always an array). */
const setCookies = (res) => res.headers['set-cookie'] ?? [];

/** The refresh cookie's value as set by `res`, or undefined. */
function cookieFrom(res) {
  const line = setCookies(res).find((c) => c.startsWith(`${COOKIE}=`));
  return line?.split(';')[0].slice(COOKIE.length + 1);
}

/** The exp claim (whole seconds since the epoch) of a JWT. */
const expOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp;

/** Logs in and returns { token, cookie, body }. */
async function loggedIn(username, options) {
  const res = await login(username, undefined, options);
  assert.equal(res.status, 200, res.text);
  return { token: res.body.accessToken, cookie: cookieFrom(res), body: res.body, res };
}

function assertAccessTokenBody(body, username, expiresIn = ACCESS_TTL_MS / 1000) {
  assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresIn', 'username']);
  assert.equal(body.username, username);
  assert.equal(body.expiresIn, expiresIn);
  assert.equal(body.accessToken.split('.').length, 3);
}

async function textsStored(username, videoUrl, base = AUTH_URL) {
  const res = await request(`/api/notes?${new URLSearchParams({ videoUrl })}`, { base, token: tokenFor(username) });
  assert.equal(res.status, 200, res.text);
  return res.body.notes.map((n) => n.text);
}

// ---------------------------------------------------------------------------------------------
// RS256

const rsPrivateKey = process.env.NOTESYNC_RS_PRIVATE_KEY ? readFileSync(process.env.NOTESYNC_RS_PRIVATE_KEY, 'utf8') : null;
const rsPublicKey = process.env.NOTESYNC_RS_PUBLIC_KEY ? readFileSync(process.env.NOTESYNC_RS_PUBLIC_KEY, 'utf8') : null;
const RS_CLAIMS = { iss: 'notesync-tests', aud: 'notesync-clients' };

function rsToken(username, { claims = {}, key = rsPrivateKey, expiresIn = 900 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg: 'RS256', typ: 'JWT' });
  const payload = base64url({ iat: now, exp: now + expiresIn, username, ...RS_CLAIMS, ...claims });
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

// ---------------------------------------------------------------------------------------------

describe('POST /auth/login', () => {
  test('right password: 200 {accessToken, expiresIn, username} and an HttpOnly refresh cookie on Path=/', async () => {
    const user = takeUser();
    const res = await login(user);
    assert.equal(res.status, 200, res.text);
    assertAccessTokenBody(res.body, user);
    const line = setCookies(res).find((c) => c.startsWith(`${COOKIE}=`));
    assert.ok(line, `Set-Cookie: ${setCookies(res)}`);
    const attributes = line.split(';').map((a) => a.trim().toLowerCase());
    assert.ok(attributes.includes('httponly'), line);
    assert.ok(attributes.includes('path=/'), line);
    assert.ok(attributes.includes('secure'), line);
    assert.ok(attributes.includes('samesite=lax'), line);
    assert.ok(cookieFrom(res).length >= 32, 'a random token');
  });

  test('the access token from login connects a socket whose packets are confirmed', async () => {
    const user = takeUser();
    const { token } = await loggedIn(user);
    const client = await connect({ transports: ['websocket'], auth: { token } });
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });

  test('a wrong password and an unknown user get the same 401 body', async () => {
    const user = takeUser();
    const wrong = await login(user, 'not-the-password');
    const unknown = await login(`nobody-${newUser()}`, 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(typeof wrong.body.error.code, 'string');
    assert.deepEqual(setCookies(wrong), []);
  });

  test('a malformed body gets 400 with the error body', async () => {
    for (const body of ['not json', '[]', JSON.stringify({ username: 'a' }), JSON.stringify({ username: 1, password: 'x' })]) {
      const res = await request('/auth/login', { method: 'POST', base: AUTH_URL, body });
      assert.equal(res.status, 400, `${body}: ${res.text}`);
      assert.equal(typeof res.body.error.code, 'string');
    }
  });

  test('after 3 failures a username is throttled: even the right password gets the same 401', async () => {
    const user = takeUser();
    const first = await login(user, 'wrong-1');
    await login(user, 'wrong-2');
    await login(user, 'wrong-3');
    const right = await login(user);
    assert.equal(right.status, 401);
    assert.deepEqual(right.body, first.body, 'the throttled answer tells nothing more than a wrong password');
    const other = takeUser();
    assert.equal((await login(other)).status, 200, 'other users of the same address still log in');
  });

  test('GET /auth/login is 405', async () => {
    const res = await request('/auth/login', { base: AUTH_URL });
    assert.equal(res.status, 405);
  });
});

describe('the extension loop: the token expires while sending, /refresh, resend', () => {
  test('login, connect, send, expiry -> invalidToken, /refresh with the cookie, resend with accessToken: stored once', async () => {
    const user = takeUser();
    const session = await loggedIn(user);
    let current = session.token;
    // The extension's socket reads the current token whenever it (re)connects.
    const client = open({ url: AUTH_URL, transports: ['websocket'], auth: (cb) => cb({ token: current }), label: user });
    await client.waitFor('connect');
    const videoUrl = newVideoUrl();
    assert.equal((await client.send(packet({ videoUrl, notes: [{ text: 'before expiry', timestamp: 1 }] }))).event, 'confirmation');

    // The token expires: the socket is told so and disconnected; the pending packet was not sent yet.
    const expired = await client.waitFor('invalidToken', { timeout: ACCESS_TTL_MS + 5000 });
    assert.equal(expired.data.reason, 'expired');
    assert.equal((await client.waitFor('disconnect')).data, 'io server disconnect');

    const refreshed = await refresh(session.cookie);
    assert.equal(refreshed.status, 200, refreshed.text);
    assertAccessTokenBody(refreshed.body, user);
    assert.ok(cookieFrom(refreshed) && cookieFrom(refreshed) !== session.cookie, 'the cookie is rotated');
    current = refreshed.body.accessToken;
    client.socket.connect();
    await client.waitFor('connect');

    const pending = packet({ videoUrl, notes: [{ text: 'after refresh', timestamp: 2 }], accessToken: current });
    const answer = await client.send(pending);
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
    assert.equal(answer.data.status, 'stored');
    const again = await client.send(pending);
    assert.equal(again.data.status, 'duplicate');
    assert.deepEqual(await textsStored(user, videoUrl), ['before expiry', 'after refresh']);
  });

  test('a packet under an expired accessToken gets invalidToken with its packetId, stays connected, stores nothing; resent with a refreshed token it is confirmed', async () => {
    const user = takeUser();
    const session = await loggedIn(user);
    const client = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(user) } });
    const videoUrl = newVideoUrl();
    await sleep(Math.max(0, expOf(session.token) * 1000 + 200 - Date.now()));
    const p = packet({ videoUrl, accessToken: session.token });
    const refusedAnswer = await client.send(p);
    assert.equal(refusedAnswer.event, 'invalidToken');
    assert.equal(refusedAnswer.data.reason, 'expired');
    assert.equal(refusedAnswer.data.packetId, p.packetId);
    assert.equal(client.socket.connected, true);
    assert.deepEqual(await textsStored(user, videoUrl), []);

    const refreshed = await refresh(session.cookie);
    assert.equal(refreshed.status, 200, refreshed.text);
    const answer = await client.send({ ...p, accessToken: refreshed.body.accessToken });
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
    assert.equal((await textsStored(user, videoUrl)).length, 2);
  });

  test('a packet with a fresh accessToken renews the socket past its first token\'s exp', async () => {
    const user = takeUser();
    // exp has whole seconds, and this server's tokens live 3 s: one has 2 to 3 s left when issued,
    // and a fresh one from /refresh outlives it by 0 to 1 s, too little to connect, send and watch
    // on a busy machine. So both are minted: the socket's first token expires in 5 to 6 s; the
    // packet carries one of 15 minutes, sent at once, seconds before the first exp.
    const first = tokenFor(user, { expiresIn: 6 });
    const firstExpMs = expOf(first) * 1000;
    const client = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: first } });
    await client.store(packet({ accessToken: tokenFor(user) }));
    assert.ok(Date.now() < firstExpMs, 'the fresh token was sent before the first one expired');
    // Past the first exp, with a margin for the server's expiry timer on a busy machine.
    await sleep(Math.max(0, firstExpMs + 2000 - Date.now()));
    assert.deepEqual(client.received('invalidToken'), [], 'the first token\'s exp passed without effect');
    assert.equal(client.socket.connected, true);
  });
});

describe('refresh-token rotation', () => {
  test('each refresh rotates the cookie; the new one works, and /auth/refresh is the same route', async () => {
    const user = takeUser();
    const { cookie: first } = await loggedIn(user);
    const second = await refresh(first);
    assert.equal(second.status, 200, second.text);
    assertAccessTokenBody(second.body, user);
    const secondCookie = cookieFrom(second);
    assert.ok(secondCookie && secondCookie !== first);
    const line = setCookies(second)[0].toLowerCase();
    assert.ok(line.includes('httponly') && line.includes('path=/'), line);
    const third = await refresh(secondCookie, { path: '/auth/refresh' });
    assert.equal(third.status, 200, third.text);
    assert.ok(cookieFrom(third) && cookieFrom(third) !== secondCookie);
  });

  test('two refreshes with the same cookie at the same moment both get 200; one rotates, the user stays logged in', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user);
    const [a, b] = await Promise.all([refresh(cookie), refresh(cookie)]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assertAccessTokenBody(a.body, user);
    assertAccessTokenBody(b.body, user);
    const rotated = [a, b].filter((r) => cookieFrom(r));
    assert.equal(rotated.length, 1, 'exactly one of them sets the successor cookie');
    const other = [a, b].find((r) => !cookieFrom(r));
    assert.equal(other.headers['set-cookie'], undefined, 'within the window: no Set-Cookie at all');
    const next = await refresh(cookieFrom(rotated[0]));
    assert.equal(next.status, 200, 'still logged in with the successor');
  });

  test('the rotated cookie again within the grace window: 200, no Set-Cookie, as often as it comes', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user);
    const rotated = await refresh(cookie);
    for (let i = 0; i < 2; i++) {
      const reuse = await refresh(cookie);
      assert.equal(reuse.status, 200, reuse.text);
      assertAccessTokenBody(reuse.body, user);
      assert.equal(reuse.headers['set-cookie'], undefined);
    }
    assert.equal((await refresh(cookieFrom(rotated))).status, 200, 'the family is not revoked');
  });

  test('the rotated cookie after the grace window: 401, and the whole family is revoked (the newest cookie fails too)', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user);
    const rotated = await refresh(cookie);
    const newest = cookieFrom(rotated);
    await sleep(GRACE_MS + 600);
    const reuse = await refresh(cookie);
    assert.equal(reuse.status, 401, reuse.text);
    assert.equal(typeof reuse.body.error.code, 'string');
    const after = await refresh(newest);
    assert.equal(after.status, 401, 'the successor belongs to the revoked family');
    assert.equal((await loggedIn(user)).res.status, 200, 'logging in again starts a new family');
  });

  test('no cookie, an unknown cookie: 401', async () => {
    assert.equal((await refresh(undefined)).status, 401);
    assert.equal((await refresh('A'.repeat(43))).status, 401);
    assert.equal((await refresh('garbage')).status, 401);
  });

  test('an expired refresh token fails', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user, { base: SHORT_REFRESH_URL });
    await sleep(2500);
    const res = await refresh(cookie, { base: SHORT_REFRESH_URL });
    assert.equal(res.status, 401, res.text);
  });
});

describe('POST /auth/logout', () => {
  test('204, the cookie cleared (same name, Path=/, Max-Age=0), and the refresh token revoked', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user);
    const res = await logout(cookie);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const line = setCookies(res).find((c) => c.startsWith(`${COOKIE}=`));
    assert.ok(line, `Set-Cookie: ${setCookies(res)}`);
    const attributes = line.split(';').map((a) => a.trim().toLowerCase());
    assert.ok(attributes.includes('path=/') && attributes.includes('max-age=0'), line);
    assert.equal((await refresh(cookie)).status, 401);
  });

  test('logout revokes the family: a successor obtained before fails too', async () => {
    const user = takeUser();
    const { cookie } = await loggedIn(user);
    const successor = cookieFrom(await refresh(cookie));
    assert.equal((await logout(successor)).status, 204);
    assert.equal((await refresh(successor)).status, 401);
    assert.equal((await refresh(cookie)).status, 401);
  });

  test('without a cookie: still 204 and the cookie cleared', async () => {
    const res = await logout(undefined);
    assert.equal(res.status, 204);
    assert.ok(cookieFrom(res) === '', `Set-Cookie: ${setCookies(res)}`);
  });
});

describe('Origin on the auth routes', () => {
  for (const [name, path, send] of [
    ['/refresh', '/refresh', (cookie, headers) => refresh(cookie, { headers })],
    ['/auth/refresh', '/auth/refresh', (cookie, headers) => refresh(cookie, { path: '/auth/refresh', headers })],
    ['/auth/logout', '/auth/logout', (cookie, headers) => logout(cookie, { headers })],
  ]) {
    test(`${name} from a disallowed Origin: 403, nothing changed, no CORS headers; the session still works`, async () => {
      const user = takeUser();
      const { cookie } = await loggedIn(user);
      for (const origin of [EVIL_ORIGIN, 'null', `${WEB_APP_ORIGIN}.evil.test`]) {
        const res = await send(cookie, { Origin: origin });
        assert.equal(res.status, 403, `${path} from ${origin}: ${res.text}`);
        assert.equal(typeof res.body.error.code, 'string');
        assert.equal(res.headers['access-control-allow-origin'], undefined);
        assert.equal(res.headers['set-cookie'], undefined);
      }
      const ok = await refresh(cookie);
      assert.equal(ok.status, 200, 'the cookie was neither rotated nor revoked');
      assert.ok(cookieFrom(ok), 'and it rotates now, so it had not been rotated before');
    });
  }

  test('POST /auth/login from a disallowed Origin: 403 before any 401', async () => {
    const res = await login('whoever', 'whatever', { headers: { Origin: EVIL_ORIGIN } });
    assert.equal(res.status, 403);
  });

  test('an allowed Origin gets its origin back with credentials and Vary: Origin; never *', async () => {
    for (const origin of [WEB_APP_ORIGIN, EXTENSION_ORIGIN]) {
      const user = takeUser();
      const res = await login(user, undefined, { headers: { Origin: origin } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['access-control-allow-origin'], origin);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.match(res.headers.vary ?? '', /origin/i);
      const refreshed = await refresh(cookieFrom(res), { headers: { Origin: origin } });
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.headers['access-control-allow-origin'], origin);
      assert.equal((await logout(cookieFrom(refreshed), { headers: { Origin: origin } })).status, 204);
    }
  });

  test('notesync\'s own origin and no Origin work, without CORS headers', async () => {
    const user = takeUser();
    const own = new globalThis.URL(AUTH_URL).origin;
    const { cookie } = await loggedIn(user, { headers: { Origin: own } });
    const res = await refresh(cookie, { headers: { Origin: own } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal((await refresh(cookieFrom(res))).status, 200);
  });

  test('CORS preflight: an allowed origin gets methods, headers and credentials; a disallowed one 403 and no CORS headers', async () => {
    for (const path of ['/refresh', '/api/notes', '/socket.io/?EIO=4&transport=polling']) {
      const allowed = await request(path, {
        method: 'OPTIONS', base: AUTH_URL,
        headers: { Origin: WEB_APP_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      assert.equal(allowed.status, 204, `${path}: ${allowed.text}`);
      assert.equal(allowed.headers['access-control-allow-origin'], WEB_APP_ORIGIN);
      assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
      assert.match(allowed.headers['access-control-allow-methods'], /POST/);
      assert.match(allowed.headers['access-control-allow-headers'], /content-type/i);
      assert.match(allowed.headers.vary ?? '', /origin/i);
      const disallowed = await request(path, {
        method: 'OPTIONS', base: AUTH_URL, headers: { Origin: EVIL_ORIGIN, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(disallowed.status, 403, path);
      assert.equal(disallowed.headers['access-control-allow-origin'], undefined);
    }
  });
});

describe('Origin on Socket.IO', () => {
  const HANDSHAKE = '/socket.io/?EIO=4&transport=polling';

  test('a polling handshake from a disallowed Origin: 403, no CORS headers, no session', async () => {
    const res = await request(HANDSHAKE, { base: AUTH_URL, headers: { Origin: EVIL_ORIGIN } });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.ok(!String(res.text).includes('"sid"'));
  });

  test('a polling handshake from an allowed Origin: that origin with credentials and Vary: Origin (not netty-socketio\'s echo)', async () => {
    const res = await request(HANDSHAKE, { base: AUTH_URL, headers: { Origin: EXTENSION_ORIGIN } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['access-control-allow-origin'], EXTENSION_ORIGIN);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.match(res.headers.vary ?? '', /origin/i);
  });

  test('a polling handshake without Origin: served, and no CORS headers at all', async () => {
    const res = await request(HANDSHAKE, { base: AUTH_URL });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  });

  test('the default server (no allowed origins) refuses every foreign Origin and never echoes it', async () => {
    const res = await request(HANDSHAKE, { headers: { Origin: WEB_APP_ORIGIN } });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  /** A raw WebSocket upgrade; resolves with the HTTP status the server answered (101 when upgraded). */
  function upgrade(origin) {
    return new Promise((resolve, reject) => {
      const req = http.request(new globalThis.URL('/socket.io/?EIO=4&transport=websocket', AUTH_URL), {
        headers: {
          Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...(origin ? { Origin: origin } : {}),
        },
      });
      req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
      req.on('response', (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', reject);
      req.end();
    });
  }

  test('a WebSocket upgrade from a disallowed Origin is refused with 403; from an allowed one or none it upgrades', async () => {
    assert.equal(await upgrade(EVIL_ORIGIN), 403);
    assert.equal(await upgrade('null'), 403);
    assert.equal(await upgrade(WEB_APP_ORIGIN), 101);
    assert.equal(await upgrade(undefined), 101);
  });

  test('socket.io-client with a disallowed Origin cannot connect, even with a valid token', async () => {
    const client = open({
      url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(newUser()) }, extraHeaders: { Origin: EVIL_ORIGIN },
    });
    const first = await client.waitFor(['connect', 'connect_error']);
    assert.equal(first.event, 'connect_error');
  });

  test('socket.io-client with an allowed Origin connects over WebSocket', async () => {
    const client = await connect({
      url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(newUser()) }, extraHeaders: { Origin: EXTENSION_ORIGIN },
    });
    assert.equal((await client.send(packet())).event, 'confirmation');
  });
});

// ---------------------------------------------------------------------------------------------
// The attack matrix on packets: every bad accessToken is refused with docs/protocol.md's reason, the
// socket stays connected and keeps its identity, nothing is stored and nothing forwarded.

const now = () => Math.floor(Date.now() / 1000);
const PACKET_TOKENS = [
  ['missing', 'an empty-string accessToken', () => ''],
  ['malformed', 'a non-string accessToken', () => 12345],
  ['malformed', 'two segments', () => 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImEifQ'],
  ['malformed', 'a header that is not JSON', (user) => mintToken({ username: user, rawHeader: base64url('not json') })],
  ['invalid', 'a bad signature', (user) => mintToken({ username: user, secret: 'another-secret-0123456789abcdef-0123456789-xyz' })],
  ['invalid', 'alg "none"', (user) => mintToken({ username: user, alg: 'none' })],
  ['invalid', 'HS512 under the pinned HS256', (user) => mintToken({ username: user, alg: 'HS512' })],
  ['invalid', 'nbf in the future', (user) => mintToken({ username: user, claims: { nbf: now() + 3600 } })],
  ['invalid', 'no username and no sub', () => mintToken({ claims: { name: 'someone' } })],
  ['invalid', 'a numeric username', () => mintToken({ claims: { username: 12345 } })],
  ['expired', 'exp in the past', (user) => expiredTokenFor(user)],
];

describe('attack matrix on packets (HS256 server)', () => {
  for (const [reason, description, tokenOf] of PACKET_TOKENS) {
    test(`${description}: invalidToken "${reason}" with the packetId; connected, nothing stored or forwarded`, async () => {
      const user = newUser();
      const sender = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(user) } });
      const listener = await connect({ url: AUTH_URL, auth: { token: tokenFor(user) } });
      const videoUrl = newVideoUrl();
      const p = packet({ videoUrl, accessToken: tokenOf(user) });
      const ack = await sender.sendWithAck(p);
      assert.equal(ack.ok, false);
      assert.equal(ack.error.reason, reason, JSON.stringify(ack));
      assert.equal(ack.error.packetId, p.packetId);
      const event = await sender.next('invalidToken');
      assert.equal(event.reason, reason);
      assert.equal(event.packetId, p.packetId);
      assert.equal(sender.socket.connected, true);
      assert.deepEqual(await textsStored(user, videoUrl), []);
      const control = packet();
      const ok = await sender.send(control);
      assert.equal(ok.event, 'confirmation', 'the socket keeps working under its own token');
      // The control's fPacket is the first the listener gets: the refused packet's would have come before it.
      assert.equal((await listener.next('fPacket')).packetId, control.packetId, 'nothing of the refused packet was forwarded');
    });
  }

  test('another user\'s valid token: userMismatch; the socket keeps its identity, nothing stored under either user', async () => {
    const alice = newUser();
    const mallory = newUser();
    const sender = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(alice) } });
    const malloryListener = await connect({ url: AUTH_URL, auth: { token: tokenFor(mallory) } });
    const malloryOther = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: tokenFor(mallory) } });
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, accessToken: tokenFor(mallory) });
    const answer = await sender.send(p);
    assert.equal(answer.event, 'invalidToken');
    assert.equal(answer.data.reason, 'userMismatch');
    assert.equal(answer.data.packetId, p.packetId);
    assert.equal(sender.socket.connected, true);
    assert.deepEqual(await textsStored(alice, videoUrl), []);
    assert.deepEqual(await textsStored(mallory, videoUrl), []);
    // The control: mallory's own next packet is the first fPacket her listener gets.
    const control = packet();
    assert.equal((await malloryOther.send(control)).event, 'confirmation');
    assert.equal((await malloryListener.next('fPacket')).packetId, control.packetId, 'nothing of alice\'s packet reached mallory');
    const own = await sender.send(packet({ videoUrl }));
    assert.equal(own.event, 'confirmation');
    assert.equal((await textsStored(alice, videoUrl)).length, 2, 'still alice');
  });
});

describe('user isolation across renewal', () => {
  test('a socket of user B never receives anything of user A, before or after either renews its token', async () => {
    const a = takeUser();
    const b = takeUser();
    const sessionA = await loggedIn(a);
    const sessionB = await loggedIn(b);
    const a1 = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: sessionA.token }, label: 'a1' });
    const a2 = await connect({ url: AUTH_URL, auth: { token: sessionA.token }, label: 'a2' });
    const b1 = await connect({ url: AUTH_URL, transports: ['websocket'], auth: { token: sessionB.token }, label: 'b1' });

    const sent = [];
    const sendAsA = async (p) => {
      sent.push(p.packetId);
      await a1.store(p);
      assert.equal((await a2.next('fPacket')).packetId, p.packetId, 'positive control: A\'s other socket gets it');
    };
    await sendAsA(packet());

    const renewedA = await refresh(sessionA.cookie);
    const renewedB = await refresh(sessionB.cookie);
    assert.equal(renewedA.status, 200);
    assert.equal(renewedB.status, 200);
    await sendAsA(packet({ accessToken: renewedA.body.accessToken }));
    await b1.store(packet({ accessToken: renewedB.body.accessToken }));
    await sendAsA(packet());
    assert.deepEqual(await b1.quietly('fPacket'), [], 'B received nothing of A');
    assert.deepEqual(a1.received('fPacket'), [], 'nor A anything of B');
    assert.equal(a2.received('fPacket').length, sent.length);
  });
});

describe('RS256 verify-only mode (iss and aud required)', () => {
  /** Bad tokens, each naming `user` (where a username is the point, a numeric one). */
  const rsRefusals = (user = newUser()) => [
    ['invalid', 'HS256 signed with the RS public key (algorithm confusion)',
      mintToken({ username: user, claims: RS_CLAIMS, secret: rsPublicKey })],
    ['invalid', 'HS256 signed with a shared secret', mintToken({ username: user, claims: RS_CLAIMS })],
    ['invalid', 'alg "none"', mintToken({ username: user, claims: RS_CLAIMS, alg: 'none' })],
    ['invalid', 'RS256 signed by another key',
      rsToken(user, { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })],
    ['invalid', 'a wrong iss', rsToken(user, { claims: { iss: 'someone-else' } })],
    ['invalid', 'a wrong aud', rsToken(user, { claims: { aud: 'other-clients' } })],
    ['invalid', 'no iss', rsToken(user, { claims: { iss: undefined } })],
    ['invalid', 'a numeric username', rsToken(12345)],
    ['expired', 'an expired RS256 token', rsToken(user, { expiresIn: -60 })],
  ];

  /** The user's videos on the RS256 server, read with a valid RS256 token. */
  async function rsVideos(user) {
    const res = await request('/api/videos', { base: RS_URL, token: rsToken(user) });
    assert.equal(res.status, 200, res.text);
    return res.body.videos;
  }

  test('a valid RS256 token with iss and aud connects and its packet is confirmed', async () => {
    const client = await connect({ url: RS_URL, auth: { token: rsToken(newUser()) } });
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });

  test('at connection, each bad token gets its reason and a server disconnect, and nothing else', async () => {
    for (const [reason, description, token] of rsRefusals()) {
      const { body, reason: disconnect, client } = await refused({ url: RS_URL, transports: ['websocket'], auth: { token } });
      assert.equal(body.reason, reason, `${description}: ${JSON.stringify(body)}`);
      assert.equal(disconnect, 'io server disconnect');
      assert.deepEqual(client.names().filter((n) => !['connect', 'invalidToken', 'disconnect'].includes(n)), []);
    }
  });

  test('on packets, each bad accessToken gets its reason with the packetId; nothing stored', async () => {
    const user = newUser();
    const client = await connect({ url: RS_URL, transports: ['websocket'], auth: { token: rsToken(user) } });
    for (const [reason, description, token] of rsRefusals(user)) {
      const p = packet({ videoUrl: newVideoUrl(), accessToken: token });
      const answer = await client.send(p);
      assert.equal(answer.event, 'invalidToken', description);
      assert.equal(answer.data.reason, reason, `${description}: ${JSON.stringify(answer.data)}`);
      assert.equal(answer.data.packetId, p.packetId);
      assert.equal(client.socket.connected, true);
    }
    assert.deepEqual(await rsVideos(user), [], 'none of the refused packets was stored');
    // The control: the socket's own packet is stored, and the read above would have shown it.
    const own = packet({ videoUrl: newVideoUrl() });
    assert.equal((await client.send(own)).event, 'confirmation');
    assert.equal((await rsVideos(user)).length, 1);
  });

  test('login, refresh and logout are disabled: 404 with the error body', async () => {
    for (const path of ['/auth/login', '/refresh', '/auth/refresh', '/auth/logout']) {
      const res = await request(path, { method: 'POST', base: RS_URL, body: { username: 'a', password: 'b' } });
      assert.equal(res.status, 404, `${path}: ${res.text}`);
      assert.equal(res.body.error.code, 'loginDisabled');
    }
  });
});
