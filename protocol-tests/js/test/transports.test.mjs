// docs/protocol.md, "Transport": Engine.IO v4 long-polling with upgrade to WebSocket, and WebSocket only.

import assert from 'node:assert/strict';
import http from 'node:http';
import { afterEach, describe, test } from 'node:test';
import {
  closeAll,
  connectAs,
  newUser,
  open,
  packet,
  refused,
  request,
  sleep,
  tokenFor,
  waitFor,
} from './support.mjs';

afterEach(closeAll);

/**
 * Opens a socket with the default transports and resolves when it has both connected and
 * upgraded, with the time from connect to upgrade (negative when the upgrade came first).
 */
async function connectAndUpgrade(user = newUser()) {
  const client = open({ label: user, auth: { token: tokenFor(user) } });
  const upgrade = waitFor(client.socket.io.engine, 'upgrade').then(
    (transport) => ({ name: transport.name, at: Date.now() }),
    (error) => ({ error }),
  );
  const connected = await client.waitFor(['connect', 'connect_error', 'invalidToken', 'disconnect']);
  assert.equal(connected.event, 'connect', client.describe());
  const upgraded = await upgrade;
  assert.equal(upgraded.name, 'websocket', `${client.describe()}: ${upgraded.error?.message}`);
  return { client, upgradeDelay: upgraded.at - connected.at };
}

function assertUpgradedInTime({ client, upgradeDelay }) {
  assert.equal(client.transport(), 'websocket');
  assert.ok(upgradeDelay <= 1000, `${client.label} upgraded ${upgradeDelay} ms after connect`);
}

/** An http.Agent that knows which of its TCP connections are still open. */
class TrackingAgent extends http.Agent {
  open = new Set();

  createConnection(options, callback) {
    const socket = super.createConnection(options, callback);
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    return socket;
  }

  async closedWithin(ms) {
    const end = Date.now() + ms;
    while (this.open.size > 0 && Date.now() < end) {
      await sleep(25);
    }
    return this.open.size === 0;
  }
}

describe('upgrade from polling to WebSocket', () => {
  test('20 sockets opened one after another with the default transports all end on websocket, each within 1 s of connect', async () => {
    for (let i = 0; i < 20; i++) {
      const outcome = await connectAndUpgrade();
      assertUpgradedInTime(outcome);
      outcome.client.close();
    }
  });

  test('20 sockets opened at once with the default transports all end on websocket, each within 1 s of connect', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => connectAndUpgrade()));
    for (const outcome of outcomes) {
      assertUpgradedInTime(outcome);
    }
  });

  test('a socket keeps working after its upgrade: a packet is confirmed and fPacket reaches a polling-only socket', async () => {
    const user = newUser();
    const { client } = await connectAndUpgrade(user);
    const pollingListener = await connectAs(user, { transports: ['polling'] });
    const websocketListener = await connectAs(user, { transports: ['websocket'] });
    const p = packet();
    await client.store(p);
    assert.equal((await pollingListener.next('fPacket')).packetId, p.packetId);
    assert.equal((await websocketListener.next('fPacket')).packetId, p.packetId);
    assert.equal(pollingListener.transport(), 'polling');
  });

  test('packets sent while the upgrade is under way are all answered, in order', async () => {
    const user = newUser();
    const client = open({ label: user, auth: { token: tokenFor(user) } });
    const sent = [];
    client.socket.on('connect', () => {
      for (let i = 0; i < 10; i++) {
        const p = packet();
        sent.push(p.packetId);
        client.socket.emit('packet', p);
      }
    });
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(await client.nextAnswer());
    }
    assert.deepEqual(answers.map((a) => a.event), Array(10).fill('confirmation'), client.describe());
    assert.deepEqual(answers.map((a) => a.data.packetId), sent);
  });
});

describe('Engine.IO handshake', () => {
  test('offers the websocket upgrade and the reference heartbeat (pingInterval 25000, pingTimeout 20000)', async () => {
    const res = await request('/socket.io/?EIO=4&transport=polling');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text[0], '0', `an Engine.IO open packet: ${res.text}`);
    const open = JSON.parse(res.text.slice(1));
    assert.equal(typeof open.sid, 'string');
    assert.deepEqual(open.upgrades, ['websocket']);
    assert.equal(open.pingInterval, 25000);
    assert.equal(open.pingTimeout, 20000);
  });
});

describe('closing a polling socket', () => {
  test('a polling client that closes leaves no HTTP request open (the server answers its pending long-poll)', async () => {
    const agent = new TrackingAgent();
    const client = await connectAs(newUser(), { transports: ['polling'], agent });
    await client.store(packet());
    client.close();
    assert.ok(await agent.closedWithin(2000), `${agent.open.size} connection(s) still open 2 s after close`);
  });

  test('a polling client refused at connection leaves no HTTP request open', async () => {
    const agent = new TrackingAgent();
    const { client } = await refused({ transports: ['polling'], agent });
    client.close();
    assert.ok(await agent.closedWithin(2000), `${agent.open.size} connection(s) still open 2 s after the refusal`);
  });
});
