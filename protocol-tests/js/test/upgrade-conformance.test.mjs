// Issue 8: with the client's default transports every socket ends on WebSocket, quickly; a
// 900,000-byte packet of notes is confirmed over polling-only and over WebSocket.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { closeAll, connectAs, newPacketId, newUser, sleep } from './support.mjs';

afterEach(closeAll);

/** Waits until the socket's Engine.IO transport is WebSocket; returns the ms it took, or fails. */
async function upgradedWithin(client, ms) {
  const start = Date.now();
  while (client.transport() !== 'websocket') {
    if (Date.now() - start > ms) {
      throw new Error(`still on ${client.transport()} after ${ms} ms`);
    }
    await sleep(5);
  }
  return Date.now() - start;
}

describe('upgrade from polling to WebSocket', () => {
  // A stalled upgrade waits for the next ping (pingInterval, 25 s here); an upgrade on a busy
  // machine may take a second or two. The limit tells the two apart.
  const LIMIT_MS = 5000;

  test('100 sockets opened one after another with the default transports all end on WebSocket, none stalled', async () => {
    const user = newUser();
    const slow = [];
    for (let i = 0; i < 100; i++) {
      const started = Date.now();
      const client = await connectAs(user);
      await upgradedWithin(client, LIMIT_MS - (Date.now() - started));
      const took = Date.now() - started;
      if (took > LIMIT_MS) {
        slow.push([i, took]);
      }
      client.close();
    }
    assert.deepEqual(slow, [], `sockets that took more than ${LIMIT_MS} ms`);
  });
});

/** A packet whose JSON is exactly `bytes` bytes long (ten notes of ASCII text). */
function packetOfBytes(bytes) {
  const p = { packetId: newPacketId(), videoUrl: 'https://example.com/big-js', notes: [] };
  const base = JSON.stringify({ ...p, notes: Array.from({ length: 10 }, () => ({ text: '', timestamp: 1 })) }).length;
  const text = bytes - base;
  p.notes = Array.from({ length: 10 }, (_, i) => ({
    text: 'n'.repeat(Math.floor(text / 10) + (i < text % 10 ? 1 : 0)),
    timestamp: 1,
  }));
  assert.equal(JSON.stringify(p).length, bytes);
  return p;
}

describe('large packets (maxPayload 1,000,000)', () => {
  for (const [name, options] of [
    ["transports: ['polling']", { transports: ['polling'] }],
    ["transports: ['websocket']", { transports: ['websocket'] }],
  ]) {
    test(`${name}: a 900,000-byte packet of notes is confirmed`, async () => {
      const client = await connectAs(newUser(), options);
      const p = packetOfBytes(900_000);
      const answer = await client.send(p);
      assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data).slice(0, 300));
      assert.equal(answer.data.status, 'stored');
      assert.equal(answer.data.stored, 10);
    });
  }
});
