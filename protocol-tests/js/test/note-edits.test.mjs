// docs/protocol.md: PATCH and DELETE /api/notes/{id}, the noteUpdated and noteDeleted events, and what
// GET /api/notes?since= returns for edits and deletes.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  DEFAULT_LIMITS_URL,
  URL,
  ISO_MILLIS,
  closeAll,
  connectAs,
  getNotes,
  isErrorBody,
  newUser,
  newVideoUrl,
  note,
  packet,
  request,
  tokenFor,
} from './support.mjs';

afterEach(closeAll);

const EVIL_ORIGIN = 'https://evil.example.test';

function patchNote(id, text, { username, token = tokenFor(username), base, headers, body } = {}) {
  return request(`/api/notes/${id}`, { method: 'PATCH', token, base, headers, body: body ?? { text } });
}

function deleteNote(id, { username, token = tokenFor(username), base, headers } = {}) {
  return request(`/api/notes/${id}`, { method: 'DELETE', token, base, headers });
}

function assertError(res, status, code, field) {
  assert.equal(res.status, status, `status ${res.status}: ${res.text}`);
  assert.ok(isErrorBody(res.body), `{ error: { code, message } }, got ${res.text}`);
  assert.equal(res.body.error.code, code, res.text);
  if (field !== undefined) {
    assert.equal(res.body.error.field, field, res.text);
  }
}

/** A user with three sockets, another user with one, and a stored packet of the first user's notes. */
async function setUp(texts = ['first', 'second'], { base } = {}) {
  const user = newUser();
  const url = base ? { url: base } : {};
  const writer = await connectAs(user, url);
  const pageA = await connectAs(user, { ...url, label: `${user} page A` });
  const pageB = await connectAs(user, { ...url, label: `${user} page B` });
  const stranger = await connectAs(newUser(), url);
  const videoUrl = newVideoUrl();
  const sent = packet({ videoUrl, notes: texts.map((text, i) => note(text, i + 1)) });
  const confirmation = await writer.store(sent);
  const stored = await getNotes(videoUrl, { username: user, base });
  assert.equal(stored.status, 200, stored.text);
  const ids = stored.body.notes.map((n) => n.id);
  return { user, writer, pageA, pageB, stranger, videoUrl, sent, videoKey: confirmation.videoKey, ids, cursor: stored.body.cursor };
}

/**
 * The page got no noteUpdated for what happened so far: the owner's own edit of `controlId` is the
 * first noteUpdated it receives (a socket's events arrive in the order the server sent them, so an
 * earlier one would have come first). The control proves the page would have seen one.
 */
async function assertNoNoteUpdatedBefore(page, user, controlId) {
  const res = await patchNote(controlId, 'the control', { username: user });
  assert.equal(res.status, 200, res.text);
  const first = await page.next('noteUpdated');
  assert.equal(first.note.id, controlId, `the first noteUpdated is the control's: ${JSON.stringify(first)}`);
}

describe('PATCH /api/notes/{id}', () => {
  test('answers the note with its cleaned text and updatedAt, and every socket of the user gets one noteUpdated', async () => {
    const { user, writer, pageA, pageB, stranger, videoUrl, videoKey, ids } = await setUp();
    const res = await patchNote(ids[0], '  better\r\nfirst\u0007 ', { username: user });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['createdAt', 'id', 'text', 'timestamp', 'updatedAt']);
    assert.equal(res.body.id, ids[0]);
    assert.equal(res.body.text, 'better\nfirst');
    assert.equal(res.body.timestamp, 1);
    assert.match(res.body.updatedAt, ISO_MILLIS);
    assert.ok(res.body.updatedAt >= res.body.createdAt);

    for (const socket of [writer, pageA, pageB]) {
      const event = await socket.next('noteUpdated');
      assert.deepEqual(event, { videoKey, note: res.body });
    }
    for (const socket of [writer, pageA, pageB]) {
      assert.equal((await socket.quietly('noteUpdated')).length, 1, `${socket.label}: exactly one noteUpdated`);
    }
    assert.deepEqual(await stranger.quietly('noteUpdated'), [], "another user's socket gets nothing");

    const after = await getNotes(videoUrl, { username: user });
    assert.deepEqual(after.body.notes.map((n) => n.text), ['better\nfirst', 'second']);
    assert.equal(after.body.notes[0].updatedAt, res.body.updatedAt);
  });

  test("another user's note id answers 404 exactly like an unknown id, and changes nothing", async () => {
    const { user, ids, videoUrl, pageA } = await setUp();
    const other = newUser();
    const theirs = await patchNote(ids[0], 'hijacked', { username: other });
    const unknown = await patchNote('0123456789abcdef01234567', 'hijacked', { username: other });
    assertError(theirs, 404, 'notFound');
    assert.deepEqual(theirs.body, unknown.body);
    assert.deepEqual((await getNotes(videoUrl, { username: user })).body.notes.map((n) => n.text), ['first', 'second']);
    await assertNoNoteUpdatedBefore(pageA, user, ids[1]);
  });

  test('text is limited like a packet note: tooLarge (413) and invalidRequest name the field', async () => {
    const { user, ids, videoUrl } = await setUp(['short'], { base: DEFAULT_LIMITS_URL });
    const base = DEFAULT_LIMITS_URL;
    assertError(await patchNote(ids[0], 'x'.repeat(10_001), { username: user, base }), 413, 'tooLarge', 'text');
    assertError(await patchNote(ids[0], ' \u0000\t ', { username: user, base }), 400, 'invalidRequest', 'text');
    assertError(await patchNote(ids[0], undefined, { username: user, base, body: { text: 42 } }), 400, 'invalidRequest', 'text');
    assertError(await patchNote(ids[0], undefined, { username: user, base, body: {} }), 400, 'invalidRequest', 'text');
    assertError(await patchNote(ids[0], undefined, { username: user, base, body: '{"text":' }), 400, 'invalidRequest');
    assertError(await patchNote(ids[0], undefined, { username: user, base, body: '["text"]' }), 400, 'invalidRequest');
    assert.deepEqual((await getNotes(videoUrl, { username: user, base })).body.notes.map((n) => n.text), ['short']);
    // 10,000 characters after cleaning (the spaces around are cleaned away) is within the limit.
    const longest = await patchNote(ids[0], ` ${'y'.repeat(10_000)} `, { username: user, base });
    assert.equal(longest.status, 200, longest.text);
    assert.equal(longest.body.text.length, 10_000);
  });

  test('bad ids answer 404; other methods 405; no token 401', async () => {
    const { user, ids } = await setUp(['x']);
    for (const bad of ['nope', ids[0].toUpperCase(), `${ids[0]}0`, ids[0].slice(1), `${ids[0]}%2Fx`, '']) {
      const res = await patchNote(bad, 'y', { username: user });
      assertError(res, 404, 'notFound');
    }
    assertError(await request(`/api/notes/${ids[0]}`, { token: tokenFor(user) }), 405, 'methodNotAllowed');
    assertError(await request(`/api/notes/${ids[0]}`, { method: 'PATCH', body: { text: 'y' } }), 401, 'missing');
    assertError(await request(`/api/notes/${ids[0]}`, { method: 'DELETE' }), 401, 'missing');
  });
});

describe('DELETE /api/notes/{id}', () => {
  test('answers 204, every socket of the user gets one noteDeleted, and the note is gone', async () => {
    const { user, writer, pageA, pageB, stranger, videoUrl, videoKey, ids } = await setUp();
    const res = await deleteNote(ids[1], { username: user });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    for (const socket of [writer, pageA, pageB]) {
      assert.deepEqual(await socket.next('noteDeleted'), { videoKey, id: ids[1] });
    }
    const notes = await getNotes(videoUrl, { username: user });
    assert.deepEqual(notes.body.notes.map((n) => n.id), [ids[0]]);

    const again = await deleteNote(ids[1], { username: user });
    assert.equal(again.status, 204, 'deleting again is 204 too');
    for (const socket of [writer, pageA, pageB]) {
      assert.equal((await socket.quietly('noteDeleted')).length, 1, `${socket.label}: exactly one noteDeleted`);
    }
    assert.deepEqual(await stranger.quietly('noteDeleted'), [], "another user's socket gets nothing");
  });

  test("another user's note id answers 404 like an unknown id, and deletes nothing", async () => {
    const { user, ids, videoUrl } = await setUp();
    const other = newUser();
    const theirs = await deleteNote(ids[0], { username: other });
    assertError(theirs, 404, 'notFound');
    assert.deepEqual(theirs.body, (await deleteNote('fedcba9876543210fedcba98', { username: other })).body);
    assertError(await deleteNote('not-an-id', { username: other }), 404, 'notFound');
    assert.deepEqual((await getNotes(videoUrl, { username: user })).body.notes.map((n) => n.text), ['first', 'second']);
  });

  test('an edit of a deleted note answers 404', async () => {
    const { user, ids } = await setUp(['only']);
    assert.equal((await deleteNote(ids[0], { username: user })).status, 204);
    assertError(await patchNote(ids[0], 'back again?', { username: user }), 404, 'notFound');
  });

  test('a resent packet stays a duplicate: it never brings a deleted note back nor undoes an edit', async () => {
    const { user, writer, videoUrl, sent, ids } = await setUp(['keep me', 'delete me']);
    assert.equal((await patchNote(ids[0], 'edited', { username: user })).status, 200);
    assert.equal((await deleteNote(ids[1], { username: user })).status, 204);
    const resend = await writer.store(sent);
    assert.equal(resend.status, 'duplicate');
    assert.deepEqual((await getNotes(videoUrl, { username: user })).body.notes.map((n) => n.text), ['edited']);
  });

  test('deleting every note of a packet leaves its packetId taken: a resend is a duplicate', async () => {
    const { user, writer, videoUrl, sent, ids } = await setUp(['a', 'b']);
    for (const id of ids) {
      assert.equal((await deleteNote(id, { username: user })).status, 204);
    }
    assert.equal((await writer.store(sent)).status, 'duplicate');
    assert.deepEqual((await getNotes(videoUrl, { username: user })).body.notes, []);
  });
});

describe('Origin on PATCH and DELETE', () => {
  test('a disallowed Origin gets 403 and changes nothing', async () => {
    const { user, ids, videoUrl, pageA } = await setUp();
    const headers = { Origin: EVIL_ORIGIN };
    const patched = await patchNote(ids[0], 'from evil', { username: user, headers });
    assertError(patched, 403, 'originNotAllowed');
    assert.equal(patched.headers['access-control-allow-origin'], undefined);
    assertError(await deleteNote(ids[1], { username: user, headers }), 403, 'originNotAllowed');
    assertError(await deleteNote(ids[1], { username: user, headers: { Origin: 'null' } }), 403, 'originNotAllowed');
    assert.deepEqual((await getNotes(videoUrl, { username: user })).body.notes.map((n) => n.text), ['first', 'second']);
    await assertNoNoteUpdatedBefore(pageA, user, ids[1]);
  });

  test("notesync's own Origin may edit", async () => {
    const { user, ids } = await setUp(['x']);
    const own = new globalThis.URL(URL).origin;
    const res = await patchNote(ids[0], 'mine', { username: user, headers: { Origin: own } });
    assert.equal(res.status, 200, res.text);
  });
});

describe('GET /api/notes?since= after edits and deletes', () => {
  test('returns new notes, updated notes and deleted ids once each: nothing missed, nothing repeated', async () => {
    const { user, writer, videoUrl, ids, cursor } = await setUp(['to edit', 'to delete', 'untouched']);
    const edited = await patchNote(ids[0], 'edited', { username: user });
    assert.equal(edited.status, 200, edited.text);
    assert.equal((await deleteNote(ids[1], { username: user })).status, 204);
    await writer.store(packet({ videoUrl, notes: [note('new', 9)] }));

    const since = await getNotes(videoUrl, { username: user, since: cursor });
    assert.equal(since.status, 200, since.text);
    assert.deepEqual(since.body.notes.map((n) => n.text), ['new']);
    assert.deepEqual(since.body.updated, [edited.body]);
    assert.deepEqual(since.body.deleted, [ids[1]]);

    const again = await getNotes(videoUrl, { username: user, since: since.body.cursor });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.notes, again.body.updated, again.body.deleted], [[], [], []]);

    // A second edit of the same note is a new change: it comes again, once.
    const twice = await patchNote(ids[0], 'edited twice', { username: user });
    const third = await getNotes(videoUrl, { username: user, since: again.body.cursor });
    assert.deepEqual(third.body.updated, [twice.body]);
    const fourth = await getNotes(videoUrl, { username: user, since: third.body.cursor });
    assert.deepEqual([fourth.body.notes, fourth.body.updated, fourth.body.deleted], [[], [], []]);
  });

  test('a page that applies the since answer ends up with exactly what a fresh read shows', async () => {
    const { user, writer, videoUrl, ids, cursor } = await setUp(['a', 'b', 'c']);
    const first = await getNotes(videoUrl, { username: user });
    const page = new Map(first.body.notes.map((n) => [n.id, n]));
    await patchNote(ids[2], 'C', { username: user });
    await deleteNote(ids[0], { username: user });
    await writer.store(packet({ videoUrl, notes: [note('d', 0.5)] }));
    const caught = await getNotes(videoUrl, { username: user, since: cursor });
    for (const n of [...caught.body.notes, ...caught.body.updated]) {
      page.set(n.id, n);
    }
    for (const id of caught.body.deleted) {
      page.delete(id);
    }
    const fresh = await getNotes(videoUrl, { username: user });
    assert.deepEqual([...page.values()].sort((x, y) => x.timestamp - y.timestamp), fresh.body.notes);
  });
});
