// docs/protocol.md, "Events": packet, fPacket, confirmation, invalidToken, packetError.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  ANSWER_EVENTS,
  DEFAULT_LIMITS_URL,
  ISO_MILLIS,
  QUIET,
  TRANSPORTS,
  closeAll,
  connectAs,
  expiredTokenFor,
  getNotes,
  mintToken,
  newPacketId,
  newUser,
  newVideoUrl,
  note,
  packet,
  packetWithout,
  sleep,
  storedTexts,
  tokenFor,
} from './support.mjs';

afterEach(closeAll);

/** `count` connected sockets of one new user. */
async function socketsOf(count, user = newUser()) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    clients.push(await connectAs(user, { label: `${user}#${i}` }));
  }
  return { user, clients };
}

const ANY = Symbol('any packetId');

/**
 * Asserts a packetError of the contract's shape: { packetId, code, message, field, retryable }.
 * `packetId: ANY` accepts its absence (a packetId that is itself invalid is not "known").
 */
function assertPacketError(answer, { code = 'invalidPacket', field, packetId }) {
  assert.equal(answer.event, 'packetError', `expected packetError, got ${answer.event} ${JSON.stringify(answer.data)}`);
  const { message, ...rest } = answer.data;
  assert.equal(typeof message, 'string', 'message is a string');
  assert.ok(message.length > 0, 'message is not empty');
  if (field !== undefined) {
    assert.ok(message.includes(field), `message names the bad field ${field}: ${JSON.stringify(message)}`);
  }
  if (packetId === ANY) {
    delete rest.packetId;
  }
  const codes = Array.isArray(code) ? code : [code];
  assert.ok(codes.includes(rest.code), `code ${rest.code} is one of ${codes}`);
  const expected = { code: rest.code, retryable: false };
  if (field !== undefined) {
    expected.field = field;
  } else if ('field' in rest) {
    expected.field = rest.field;
  }
  if (packetId !== undefined && packetId !== ANY) {
    expected.packetId = packetId;
  }
  assert.deepEqual(rest, expected);
}

describe('confirmation and acknowledgement', () => {
  test('a stored packet gets confirmation { ok: true, packetId, status: "stored", stored, videoKey }', async () => {
    const client = await connectAs(newUser());
    const p = packet();
    const answer = await client.send(p);
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
    assert.deepEqual(answer.data, { ok: true, packetId: p.packetId, status: 'stored', stored: 2, videoKey: 'youtube:dQw4w9WgXcQ' });
  });

  test('the ack callback (emitWithAck) receives the same object as confirmation', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [note('one', 1), note('two', 2), note('three', 3)] });
    const ack = await client.sendWithAck(p);
    assert.deepEqual(ack, { ok: true, packetId: p.packetId, status: 'stored', stored: 3, videoKey: 'youtube:dQw4w9WgXcQ' });
    const confirmation = await client.answerTo(p.packetId);
    assert.equal(confirmation.event, 'confirmation');
    assert.deepEqual(confirmation.data, ack);
  });

  test('a packetError reaches the ack as { ok: false, error: <the packetError body> }', async () => {
    const client = await connectAs(newUser());
    const p = packet({ videoUrl: 'javascript:alert(1)' });
    const ack = await client.sendWithAck(p);
    const event = await client.answerTo(p.packetId);
    assert.equal(event.event, 'packetError');
    assert.deepEqual(ack, { ok: false, error: event.data });
    assert.equal(ack.error.packetId, p.packetId);
    assert.equal(ack.error.field, 'videoUrl');
  });

  test('an invalidToken reaches the ack as { ok: false, error: <the invalidToken body> }', async () => {
    const client = await connectAs(newUser());
    const p = packet({ accessToken: tokenFor(newUser()) });
    const ack = await client.sendWithAck(p);
    const event = await client.answerTo(p.packetId);
    assert.equal(event.event, 'invalidToken');
    assert.deepEqual(ack, { ok: false, error: event.data });
    assert.equal(ack.error.reason, 'userMismatch');
    assert.equal(ack.error.packetId, p.packetId);
  });

  test('a confirmed packet can be read back at once through GET /api/notes (stored before confirmation)', async () => {
    const { user, clients: [client] } = await socketsOf(1);
    const videoUrl = newVideoUrl();
    await client.store(packet({ videoUrl, notes: [note('durable', 7)] }));
    assert.deepEqual(await storedTexts(user, videoUrl), ['durable']);
  });
});

describe('fPacket', () => {
  test("fPacket reaches each of the user's other sockets, with cleaned notes carrying id, text, timestamp, createdAt", async () => {
    const { clients: [sender, first, second] } = await socketsOf(3);
    const p = packet({ notes: [note('  the chorus starts here ', 42.5), note('key change', 61)] });
    const before = Date.now();
    await sender.store(p);
    for (const listener of [first, second]) {
      const forwarded = await listener.next('fPacket');
      assert.deepEqual(Object.keys(forwarded).sort(), ['notes', 'packetId', 'videoKey', 'videoUrl']);
      assert.equal(forwarded.packetId, p.packetId);
      assert.equal(forwarded.videoKey, 'youtube:dQw4w9WgXcQ');
      assert.equal(forwarded.videoUrl, 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
      assert.deepEqual(forwarded.notes.map(({ text, timestamp }) => ({ text, timestamp })), [
        { text: 'the chorus starts here', timestamp: 42.5 },
        { text: 'key change', timestamp: 61 },
      ]);
      for (const n of forwarded.notes) {
        assert.deepEqual(Object.keys(n).sort(), ['createdAt', 'id', 'text', 'timestamp']);
        assert.equal(typeof n.id, 'string');
        assert.ok(n.id.length > 0);
        assert.match(n.createdAt, ISO_MILLIS);
        const created = Date.parse(n.createdAt);
        assert.ok(created >= before - 2000 && created <= Date.now() + 2000, `createdAt ${n.createdAt} is the server's now`);
      }
      assert.notEqual(forwarded.notes[0].id, forwarded.notes[1].id, 'each note has its own id');
    }
  });

  test('both listeners get the same note ids, the ones GET /api/notes returns', async () => {
    const { user, clients: [sender, first, second] } = await socketsOf(3);
    const videoUrl = newVideoUrl();
    await sender.store(packet({ videoUrl, notes: [note('a', 1), note('b', 2)] }));
    const one = await first.next('fPacket');
    const two = await second.next('fPacket');
    assert.deepEqual(one, two);
    const stored = (await getNotes(videoUrl, { username: user })).body.notes;
    assert.deepEqual(stored, one.notes);
  });

  test('the sender does not receive its own fPacket', async () => {
    const { clients: [sender, listener] } = await socketsOf(2);
    const p = packet();
    await sender.store(p);
    await listener.next('fPacket');
    assert.deepEqual(await sender.quietly('fPacket'), []);
  });

  test("another user's socket receives nothing (room isolation)", async () => {
    const { clients: [sender, listener] } = await socketsOf(2);
    const stranger = await connectAs(newUser());
    await sender.store(packet());
    await listener.next('fPacket');
    await sleep(QUIET);
    assert.deepEqual(stranger.names(), ['connect']);
  });

  test("no client event puts a socket into another user's room", async () => {
    const { user, clients: [sender, listener] } = await socketsOf(2);
    const intruder = await connectAs(newUser());
    for (const event of ['join', 'joinRoom', 'join_room', 'subscribe', 'room', 'rooms']) {
      intruder.socket.emit(event, user);
      intruder.socket.emit(event, { room: user, username: user });
    }
    // The server handles a socket's events in order: once this is confirmed, the ones above were handled.
    await intruder.store(packet());
    await sender.store(packet());
    // The control: the user's own other socket gets the fPacket; one in the room would have too.
    await listener.next('fPacket');
    assert.deepEqual(await intruder.quietly('fPacket'), []);
  });

  for (const { name, options } of TRANSPORTS) {
    test(`a socket that has just connected (${name}) gets fPacket for a packet sent at that moment (15 times)`, async () => {
      const user = newUser();
      const sender = await connectAs(user, { transports: ['websocket'] });
      const missed = [];
      for (let i = 0; i < 15; i++) {
        const listener = await connectAs(user, options);
        const p = packet();
        await sender.store(p);
        try {
          await listener.waitFor('fPacket', { where: (data) => data.packetId === p.packetId, timeout: 5000 });
        } catch {
          missed.push(i);
        }
        listener.close();
      }
      assert.deepEqual(missed, [], 'connections whose listener missed the fPacket');
    });
  }

  test('fPacket goes out only once the notes are stored: GET /api/notes on receipt finds them', async () => {
    const { user, clients: [sender, listener] } = await socketsOf(2);
    const videoUrl = newVideoUrl();
    sender.socket.emit('packet', packet({ videoUrl, notes: [note('already there', 3)] }));
    await listener.next('fPacket');
    assert.deepEqual(await storedTexts(user, videoUrl), ['already there']);
  });
});

describe('idempotency on (username, packetId)', () => {
  test('resending a stored packet gets status "duplicate", no second fPacket, and it is stored once', async () => {
    const { user, clients: [sender, listener] } = await socketsOf(2);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, notes: [note('only once', 5)] });
    assert.equal((await sender.store(p)).status, 'stored');
    await listener.next('fPacket');
    const again = await sender.store(p);
    assert.equal(again.ok, true);
    assert.equal(again.packetId, p.packetId);
    assert.equal(again.status, 'duplicate');
    assert.equal(again.videoKey, `url:${videoUrl}`);
    assert.equal((await listener.quietly('fPacket')).length, 1, 'one fPacket for two sends');
    assert.deepEqual(await storedTexts(user, videoUrl), ['only once']);
  });

  test('a resend with the same packetId but other notes is a duplicate, and the first notes stay', async () => {
    const { user, clients: [sender] } = await socketsOf(1);
    const videoUrl = newVideoUrl();
    const packetId = newPacketId();
    await sender.store({ packetId, videoUrl, notes: [note('original', 1)] });
    const again = await sender.store({ packetId, videoUrl, notes: [note('changed', 1), note('added', 2)] });
    assert.equal(again.status, 'duplicate');
    assert.deepEqual(await storedTexts(user, videoUrl), ['original']);
  });

  test('a duplicate resent on another socket of the same user is still a duplicate', async () => {
    const { user, clients: [first, second] } = await socketsOf(2);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, notes: [note('from the first tab', 1)] });
    await first.store(p);
    assert.equal((await second.store(p)).status, 'duplicate');
    assert.deepEqual(await storedTexts(user, videoUrl), ['from the first tab']);
  });

  test('the same packetId from another user is stored for that user', async () => {
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, notes: [note('mine', 1)] });
    const { user: a, clients: [clientA] } = await socketsOf(1);
    const { user: b, clients: [clientB] } = await socketsOf(1);
    assert.equal((await clientA.store(p)).status, 'stored');
    assert.equal((await clientB.store(p)).status, 'stored');
    assert.deepEqual(await storedTexts(a, videoUrl), ['mine']);
    assert.deepEqual(await storedTexts(b, videoUrl), ['mine']);
  });
});

describe('order and completeness of answers', () => {
  test('answers to 30 packets sent at once on one socket, valid and invalid mixed, arrive in send order', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const sent = [];
    for (let i = 0; i < 30; i++) {
      const videoUrl = `https://videos.example.com/order/${i}`;
      let p;
      let expected;
      if (i === 29) {
        p = sent[0].packet; // a duplicate of the first
        expected = 'confirmation';
      } else if (i % 7 === 3) {
        p = packet({ videoUrl, accessToken: tokenFor(newUser()) });
        expected = 'invalidToken';
      } else if (i % 4 === 1) {
        p = packet({ videoUrl: `ftp://videos.example.com/${i}` });
        expected = 'packetError';
      } else if (i % 5 === 2) {
        p = packet({ videoUrl, notes: [note('ok', 1), note('bad', -1)] });
        expected = 'packetError';
      } else {
        p = packet({ videoUrl, notes: Array.from({ length: 1 + (i % 5) * 10 }, (_, k) => note(`note ${i}.${k}`, k)) });
        expected = 'confirmation';
      }
      sent.push({ packet: p, expected });
      client.socket.emit('packet', p);
    }
    const answers = [];
    for (let i = 0; i < sent.length; i++) {
      answers.push(await client.nextAnswer({ timeout: 10_000 }));
    }
    assert.deepEqual(answers.map((a) => a.data.packetId), sent.map((s) => s.packet.packetId));
    assert.deepEqual(answers.map((a) => a.event), sent.map((s) => s.expected));
    assert.equal(answers.at(-1).data.status, 'duplicate');
    await sleep(QUIET);
    assert.equal(client.events.filter((e) => ANSWER_EVENTS.includes(e.event)).length, 30, 'exactly one answer per packet');
  });

  test('every rejected packet gets exactly one answer, never silence', async () => {
    const client = await connectAs(newUser());
    const payloads = [
      packetWithout('packetId'),
      packet({ videoUrl: 'data:text/html,hi' }),
      packet({ notes: [] }),
      packet({ notes: [note('x', 'soon')] }),
      packet({ accessToken: expiredTokenFor(newUser()) }),
      'not an object',
    ];
    for (const p of payloads) {
      client.socket.emit('packet', p);
    }
    for (let i = 0; i < payloads.length; i++) {
      await client.nextAnswer();
    }
    await sleep(QUIET);
    assert.equal(client.events.filter((e) => ANSWER_EVENTS.includes(e.event)).length, payloads.length);
    assert.equal(client.received('confirmation').length, 0);
  });
});

describe('accessToken in a packet', () => {
  test('a packet with a valid accessToken of the same user is confirmed', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const answer = await client.send(packet({ accessToken: tokenFor(user, { expiresIn: 3600 }) }));
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
    assert.equal(answer.data.status, 'stored');
  });

  test("another user's accessToken gets invalidToken \"userMismatch\" with the packetId; the socket stays connected and can still send", async () => {
    const { user, clients: [client, listener] } = await socketsOf(2);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, accessToken: tokenFor(newUser()) });
    const answer = await client.send(p);
    assert.equal(answer.event, 'invalidToken', JSON.stringify(answer.data));
    assert.equal(answer.data.reason, 'userMismatch');
    assert.equal(answer.data.packetId, p.packetId);
    assert.equal(typeof answer.data.message, 'string');
    await sleep(QUIET);
    assert.equal(client.socket.connected, true);
    assert.deepEqual(client.received('disconnect'), []);
    assert.deepEqual(await storedTexts(user, videoUrl), [], 'nothing stored');
    const next = packet();
    await client.store(next);
    assert.equal((await listener.next('fPacket')).packetId, next.packetId, 'the socket kept its own identity');
  });

  test('an expired accessToken gets invalidToken "expired" with the packetId; the connection stays open and nothing is stored', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, accessToken: expiredTokenFor(user) });
    const answer = await client.send(p);
    assert.equal(answer.event, 'invalidToken', JSON.stringify(answer.data));
    assert.equal(answer.data.reason, 'expired');
    assert.equal(answer.data.packetId, p.packetId);
    await sleep(QUIET);
    assert.equal(client.socket.connected, true);
    assert.deepEqual(client.received('disconnect'), []);
    assert.deepEqual(await storedTexts(user, videoUrl), []);
  });

  test('after invalidToken "expired", resending the packet with a fresh accessToken is confirmed', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, notes: [note('refreshed', 9)], accessToken: expiredTokenFor(user) });
    assert.equal((await client.send(p)).event, 'invalidToken');
    const confirmation = await client.store({ ...p, accessToken: tokenFor(user) });
    assert.equal(confirmation.status, 'stored');
    assert.equal(confirmation.stored, 1);
    assert.deepEqual(await storedTexts(user, videoUrl), ['refreshed']);
  });

  test('a badly signed accessToken gets invalidToken "invalid" with the packetId, and the socket stays connected', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const p = packet({ accessToken: mintToken({ username: user, secret: 'not-the-secret-0123456789abcdef-0123456789' }) });
    const answer = await client.send(p);
    assert.equal(answer.event, 'invalidToken', JSON.stringify(answer.data));
    assert.equal(answer.data.reason, 'invalid');
    assert.equal(answer.data.packetId, p.packetId);
    await sleep(QUIET);
    assert.equal(client.socket.connected, true);
  });

  test('a malformed accessToken gets invalidToken "malformed" with the packetId, and the socket stays connected', async () => {
    const client = await connectAs(newUser());
    const p = packet({ accessToken: 'not.a-token' });
    const answer = await client.send(p);
    assert.equal(answer.event, 'invalidToken', JSON.stringify(answer.data));
    assert.equal(answer.data.reason, 'malformed');
    assert.equal(answer.data.packetId, p.packetId);
    await sleep(QUIET);
    assert.equal(client.socket.connected, true);
  });
});

describe('packetError { packetId, code, message, field, retryable: false }', () => {
  test('a missing packetId', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(packetWithout('packetId')), { field: 'packetId' });
  });

  test('a packetId with characters outside [A-Za-z0-9._:-]', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(packet({ packetId: 'bad id/with spaces' })), { field: 'packetId', packetId: ANY });
  });

  test('a packetId longer than 128 characters', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(packet({ packetId: 'p'.repeat(129) })), { field: 'packetId', packetId: ANY });
  });

  test('an empty packetId', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(packet({ packetId: '' })), { field: 'packetId', packetId: ANY });
  });

  test('a packetId that is not a string', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(packet({ packetId: 12345 })), { field: 'packetId', packetId: ANY });
  });

  test('a missing videoUrl', async () => {
    const client = await connectAs(newUser());
    const p = packetWithout('videoUrl');
    assertPacketError(await client.send(p), { field: 'videoUrl', packetId: p.packetId });
  });

  test('a javascript: videoUrl', async () => {
    const client = await connectAs(newUser());
    const p = packet({ videoUrl: 'javascript:alert(document.cookie)' });
    assertPacketError(await client.send(p), { field: 'videoUrl', packetId: p.packetId });
  });

  test('a relative videoUrl', async () => {
    const client = await connectAs(newUser());
    const p = packet({ videoUrl: '/watch?v=dQw4w9WgXcQ' });
    assertPacketError(await client.send(p), { field: 'videoUrl', packetId: p.packetId });
  });

  test('a videoUrl longer than 2048 characters', async () => {
    const client = await connectAs(newUser());
    const base = 'https://videos.example.com/long?q=';
    const p = packet({ videoUrl: base + 'a'.repeat(2049 - base.length) });
    assert.equal(p.videoUrl.length, 2049);
    assertPacketError(await client.send(p), { code: ['invalidPacket', 'tooLarge'], field: 'videoUrl', packetId: p.packetId });
  });

  test('notes that is not an array', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: 'first note' });
    assertPacketError(await client.send(p), { field: 'notes', packetId: p.packetId });
  });

  test('notes that is an object', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: { text: 'x', timestamp: 1 } });
    assertPacketError(await client.send(p), { field: 'notes', packetId: p.packetId });
  });

  test('zero notes', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [] });
    assertPacketError(await client.send(p), { field: 'notes', packetId: p.packetId });
  });

  test('101 notes is tooLarge', async () => {
    const client = await connectAs(newUser(), { url: DEFAULT_LIMITS_URL });
    const p = packet({ notes: Array.from({ length: 101 }, (_, i) => note(`n${i}`, i)) });
    assertPacketError(await client.send(p), { code: 'tooLarge', field: 'notes', packetId: p.packetId });
  });

  test('a note whose text is not a string', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [note('fine', 1), { text: 42, timestamp: 2 }] });
    assertPacketError(await client.send(p), { field: 'notes[1].text', packetId: p.packetId });
  });

  test('a note without text', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [{ timestamp: 2 }] });
    assertPacketError(await client.send(p), { field: 'notes[0].text', packetId: p.packetId });
  });

  test('a negative timestamp', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [note('fine', 1), note('before the start', -0.5)] });
    assertPacketError(await client.send(p), { field: 'notes[1].timestamp', packetId: p.packetId });
  });

  test('a string timestamp', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [note('quoted', '42')] });
    assertPacketError(await client.send(p), { field: 'notes[0].timestamp', packetId: p.packetId });
  });

  test('a missing timestamp', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [{ text: 'when?' }] });
    assertPacketError(await client.send(p), { field: 'notes[0].timestamp', packetId: p.packetId });
  });

  test('a null timestamp', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [{ text: 'when?', timestamp: null }] });
    assertPacketError(await client.send(p), { field: 'notes[0].timestamp', packetId: p.packetId });
  });

  test('a note longer than 10000 characters is tooLarge, not truncated', async () => {
    const client = await connectAs(newUser(), { url: DEFAULT_LIMITS_URL });
    const p = packet({ notes: [note('x'.repeat(10_001), 1)] });
    assertPacketError(await client.send(p), { code: 'tooLarge', field: 'notes[0].text', packetId: p.packetId });
  });

  test('notes that are all empty after cleaning', async () => {
    const client = await connectAs(newUser());
    const p = packet({ notes: [note('   ', 1), note('\r\n\t', 2), note('\u0000\u0007', 3)] });
    assertPacketError(await client.send(p), { field: 'notes', packetId: p.packetId });
  });

  test('a payload that is a string', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw('hello'), {});
  });

  test('a payload that is an array', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw([packet()]), {});
  });

  test('a payload that is a number', async () => {
    const client = await connectAs(newUser());
    assertPacketError(await client.sendRaw(42), {});
  });

  test('a rejected packet stores nothing, not even its valid notes', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const videoUrl = newVideoUrl();
    const p = packet({ videoUrl, notes: [note('valid', 1), note('invalid', -1)] });
    assert.equal((await client.send(p)).event, 'packetError');
    assert.deepEqual(await storedTexts(user, videoUrl), []);
  });

  test('after a packetError the socket stays connected and its next packet is confirmed', async () => {
    const client = await connectAs(newUser());
    assert.equal((await client.send(packet({ notes: [] }))).event, 'packetError');
    assert.equal(client.socket.connected, true);
    await client.store(packet());
  });
});

describe('accepted packets at the limits', () => {
  test('the single-note form (top-level text and timestamp) is confirmed', async () => {
    const { user, clients: [client, listener] } = await socketsOf(2);
    const videoUrl = newVideoUrl();
    const p = { packetId: newPacketId(), videoUrl, text: ' a single note ', timestamp: 12.25 };
    const confirmation = await client.store(p);
    assert.equal(confirmation.status, 'stored');
    assert.equal(confirmation.stored, 1);
    const forwarded = await listener.next('fPacket');
    assert.deepEqual(forwarded.notes.map(({ text, timestamp }) => ({ text, timestamp })), [{ text: 'a single note', timestamp: 12.25 }]);
    assert.deepEqual(await storedTexts(user, videoUrl), ['a single note']);
  });

  test('a packetId of 128 characters of [A-Za-z0-9._:-] is confirmed', async () => {
    const client = await connectAs(newUser());
    const packetId = `Az09._:-${newPacketId()}`.padEnd(128, 'x');
    assert.equal(packetId.length, 128);
    const confirmation = await client.store(packet({ packetId }));
    assert.equal(confirmation.packetId, packetId);
  });

  test('100 notes are confirmed', async () => {
    const client = await connectAs(newUser(), { url: DEFAULT_LIMITS_URL });
    const confirmation = await client.store(packet({ notes: Array.from({ length: 100 }, (_, i) => note(`n${i}`, i)) }));
    assert.equal(confirmation.stored, 100);
  });

  test('a note of exactly 10000 characters is stored whole', async () => {
    const user = newUser();
    const client = await connectAs(user, { url: DEFAULT_LIMITS_URL });
    const videoUrl = newVideoUrl();
    const text = 'y'.repeat(10_000);
    await client.store(packet({ videoUrl, notes: [note(text, 1)] }));
    assert.deepEqual(await storedTexts(user, videoUrl, DEFAULT_LIMITS_URL), [text]);
  });

  test('a videoUrl of exactly 2048 characters is confirmed', async () => {
    const client = await connectAs(newUser());
    const base = `https://videos.example.com/${newPacketId()}?q=`;
    const videoUrl = base + 'a'.repeat(2048 - base.length);
    assert.equal(videoUrl.length, 2048);
    const confirmation = await client.store(packet({ videoUrl }));
    assert.equal(confirmation.videoKey, `url:${videoUrl}`);
  });

  test('timestamp 0 and fractional timestamps are accepted as sent', async () => {
    const { clients: [client, listener] } = await socketsOf(2);
    await client.store(packet({ notes: [note('start', 0), note('fraction', 1234.567)] }));
    const forwarded = await listener.next('fPacket');
    assert.deepEqual(forwarded.notes.map((n) => n.timestamp), [0, 1234.567]);
  });
});
