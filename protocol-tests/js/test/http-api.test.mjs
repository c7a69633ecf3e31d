// docs/protocol.md, "HTTP API (same port)": the read routes, health, and the error bodies.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  ISO_MILLIS,
  closeAll,
  connectAs,
  expiredTokenFor,
  getNotes,
  isErrorBody,
  mintToken,
  newUser,
  newVideoUrl,
  note,
  packet,
  request,
  sleep,
  tokenFor,
} from './support.mjs';

afterEach(closeAll);

function assertError(res, status) {
  assert.equal(res.status, status, `status ${res.status}: ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.ok(isErrorBody(res.body), `{ error: { code, message } }, got ${res.text}`);
}

describe('GET /api/notes', () => {
  test('returns { videoKey, videoUrl, notes } with each note\'s id, text, timestamp and createdAt', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    await client.store(packet({ videoUrl: `${videoUrl}?utm_source=x#t=3`, notes: [note('hello', 3)] }));
    const res = await getNotes(videoUrl, { username: user });
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.body.videoKey, `url:${videoUrl}`);
    assert.equal(res.body.videoUrl, videoUrl);
    assert.equal(res.body.notes.length, 1);
    const [n] = res.body.notes;
    assert.deepEqual(Object.keys(n).sort(), ['createdAt', 'id', 'text', 'timestamp']);
    assert.equal(n.text, 'hello');
    assert.equal(n.timestamp, 3);
    assert.equal(typeof n.id, 'string');
    assert.match(n.createdAt, ISO_MILLIS);
  });

  test('orders notes by timestamp, then by createdAt', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    await client.store(packet({ videoUrl, notes: [note('p1 at 30', 30), note('p1 at 10', 10)] }));
    await sleep(20);
    await client.store(packet({ videoUrl, notes: [note('p2 at 10', 10), note('p2 at 5', 5), note('p2 at 20', 20)] }));
    await sleep(20);
    await client.store(packet({ videoUrl, notes: [note('p3 at 10', 10)] }));
    const res = await getNotes(videoUrl, { username: user });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.notes.map((n) => n.text), ['p2 at 5', 'p1 at 10', 'p2 at 10', 'p3 at 10', 'p2 at 20', 'p1 at 30']);
  });

  test("returns only the requesting user's notes", async () => {
    const videoUrl = newVideoUrl();
    const alice = newUser();
    const bob = newUser();
    await (await connectAs(alice)).store(packet({ videoUrl, notes: [note("alice's", 1)] }));
    await (await connectAs(bob)).store(packet({ videoUrl, notes: [note("bob's", 2)] }));
    assert.deepEqual((await getNotes(videoUrl, { username: alice })).body.notes.map((n) => n.text), ["alice's"]);
    assert.deepEqual((await getNotes(videoUrl, { username: bob })).body.notes.map((n) => n.text), ["bob's"]);
  });

  test('a video without notes answers 200 with an empty list', async () => {
    const videoUrl = newVideoUrl();
    const res = await getNotes(videoUrl, { username: newUser() });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.notes, []);
    assert.equal(res.body.videoKey, `url:${videoUrl}`);
  });

  /** Stores 'before', reads the cursor, stores two later notes; returns the cursor and the reads. */
  async function storeAroundCursor() {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    await client.store(packet({ videoUrl, notes: [note('before', 1)] }));
    const first = await getNotes(videoUrl, { username: user });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.notes.map((n) => n.text), ['before']);
    assert.equal(typeof first.body.cursor, 'string', `a cursor in ${first.text}`);
    await sleep(20);
    await client.store(packet({ videoUrl, notes: [note('after, late', 50), note('after, early', 0.5)] }));
    const since = await getNotes(videoUrl, { username: user, since: first.body.cursor });
    assert.equal(since.status, 200, since.text);
    return { user, videoUrl, first, since };
  }

  test('since=<cursor from an earlier answer> misses nothing stored after it', async () => {
    const { since } = await storeAroundCursor();
    const texts = since.body.notes.map((n) => n.text);
    assert.ok(texts.includes('after, early') && texts.includes('after, late'), `got ${JSON.stringify(texts)}`);
  });

  test('since=<cursor from an earlier answer> returns only what was stored after it', async () => {
    const { since } = await storeAroundCursor();
    assert.deepEqual(since.body.notes.map((n) => n.text), ['after, early', 'after, late']);
  });

  test('since=<the latest cursor> returns nothing when nothing was stored since', async () => {
    const { user, videoUrl, since } = await storeAroundCursor();
    const caughtUp = await getNotes(videoUrl, { username: user, since: since.body.cursor });
    assert.equal(caughtUp.status, 200, caughtUp.text);
    assert.deepEqual(caughtUp.body.notes, []);
  });

  test('answers 400 with an error body for a since that is not a cursor', async () => {
    const res = await getNotes(newVideoUrl(), { username: newUser(), since: 'yesterday' });
    assertError(res, 400);
  });

  test('answers 401 with an error body without a token', async () => {
    assertError(await getNotes(newVideoUrl()), 401);
  });

  test('answers 401 with an error body for a badly signed token', async () => {
    const token = mintToken({ username: newUser(), secret: 'not-the-secret-0123456789abcdef-0123456789' });
    assertError(await getNotes(newVideoUrl(), { token }), 401);
  });

  test('answers 401 with an error body for an expired token', async () => {
    assertError(await getNotes(newVideoUrl(), { token: expiredTokenFor(newUser()) }), 401);
  });

  test('answers 401 with an error body for alg "none"', async () => {
    assertError(await getNotes(newVideoUrl(), { token: mintToken({ username: newUser(), alg: 'none' }) }), 401);
  });

  test('answers 401 for an Authorization header that is not Bearer', async () => {
    const res = await request(`/api/notes?videoUrl=${encodeURIComponent(newVideoUrl())}`, {
      headers: { Authorization: `Basic ${Buffer.from('user:password').toString('base64')}` },
    });
    assertError(res, 401);
  });

  test('answers 400 with an error body for a javascript: videoUrl', async () => {
    assertError(await getNotes('javascript:alert(1)', { username: newUser() }), 400);
  });

  test('answers 400 with an error body for a relative videoUrl', async () => {
    assertError(await getNotes('/watch?v=dQw4w9WgXcQ', { username: newUser() }), 400);
  });

  test('answers 400 with an error body without videoUrl', async () => {
    assertError(await request('/api/notes', { token: tokenFor(newUser()) }), 400);
  });

  test('answers 405 with an error body to POST', async () => {
    assertError(await request('/api/notes', { method: 'POST', token: tokenFor(newUser()), body: packet() }), 405);
  });
});

describe('GET /api/videos', () => {
  test("lists the user's videos with their note counts and last update", async () => {
    const user = newUser();
    const client = await connectAs(user);
    const first = newVideoUrl();
    const second = newVideoUrl();
    await client.store(packet({ videoUrl: first, notes: [note('a', 1), note('b', 2)] }));
    await client.store(packet({ videoUrl: `${first}#t=9`, notes: [note('c', 3)] }));
    await client.store(packet({ videoUrl: second, notes: [note('d', 1), note('   ', 2)] }));
    await (await connectAs(newUser())).store(packet({ videoUrl: first }));
    const res = await request('/api/videos', { token: tokenFor(user) });
    assert.equal(res.status, 200, res.text);
    const videos = Array.isArray(res.body) ? res.body : res.body.videos;
    assert.ok(Array.isArray(videos), `a list of videos in ${res.text}`);
    const byKey = Object.fromEntries(videos.map((v) => [v.videoKey, v]));
    assert.deepEqual(Object.keys(byKey).sort(), [`url:${first}`, `url:${second}`].sort());
    assert.equal(byKey[`url:${first}`].noteCount, 3);
    assert.equal(byKey[`url:${first}`].videoUrl, first);
    assert.equal(byKey[`url:${second}`].noteCount, 1);
    for (const video of videos) {
      assert.match(video.lastUpdated, ISO_MILLIS);
    }
  });

  test('a user without notes has no videos', async () => {
    const res = await request('/api/videos', { token: tokenFor(newUser()) });
    assert.equal(res.status, 200, res.text);
    const videos = Array.isArray(res.body) ? res.body : res.body.videos;
    assert.deepEqual(videos, []);
  });

  test('answers 401 with an error body without a token', async () => {
    assertError(await request('/api/videos'), 401);
  });

  test('answers 401 with an error body for an expired token', async () => {
    assertError(await request('/api/videos', { token: expiredTokenFor(newUser()) }), 401);
  });
});

describe('other routes', () => {
  test('GET /health answers 200', async () => {
    const res = await request('/health');
    assert.equal(res.status, 200, res.text);
  });

  test('an unknown path answers 404 with an error body', async () => {
    assertError(await request(`/no/such/${newUser()}`), 404);
  });

  test('an unknown /api path answers 404 with an error body', async () => {
    assertError(await request('/api/nothing-here', { token: tokenFor(newUser()) }), 404);
  });
});
