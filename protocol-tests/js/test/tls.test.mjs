// notesync terminating TLS itself (server.tls.certFile/keyFile, a self-signed certificate made by
// JsClientTest at test time): HTTP and Socket.IO (polling and WebSocket) over TLS on one port.
//
// Environment (set by JsClientTest):
//   NOTESYNC_TLS_URL       https://127.0.0.1:PORT
//   NOTESYNC_TLS_CA        the server's certificate, PEM (it is its own CA)
//   NOTESYNC_TLS_USER, NOTESYNC_TLS_PASSWORD  a user of that server
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

const TLS_URL = process.env.NOTESYNC_TLS_URL;
const CA = readFileSync(process.env.NOTESYNC_TLS_CA);
const USER = process.env.NOTESYNC_TLS_USER;
const PASSWORD = process.env.NOTESYNC_TLS_PASSWORD;
const TIMEOUT = 10_000;

function request(url, { method = 'GET', headers = {}, body, tls = { ca: CA } } = {}) {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method, headers, ...tls, timeout: TIMEOUT }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function login() {
  const res = await request(`${TLS_URL}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: TLS_URL },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  assert.equal(res.status, 200, res.body);
  return res;
}

function once(emitter, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${TIMEOUT} ms`)), TIMEOUT);
    emitter.once(event, (value) => { clearTimeout(timer); resolve(value); });
  });
}

async function connected(socket) {
  if (!socket.connected) {
    await Promise.race([once(socket, 'connect'), once(socket, 'connect_error').then((e) => { throw e; })]);
  }
  return socket;
}

test('login over https from the https own origin sets a Secure cookie, which refreshes over https', async () => {
  const res = await login();
  const setCookie = res.headers['set-cookie'] ?? [];
  assert.equal(setCookie.length, 1, JSON.stringify(setCookie));
  assert.match(setCookie[0], /;\s*Secure/i);
  assert.match(setCookie[0], /;\s*HttpOnly/i);
  const cookie = setCookie[0].split(';')[0];

  const refreshed = await request(`${TLS_URL}/refresh`, { method: 'POST', headers: { Cookie: cookie, Origin: TLS_URL } });
  assert.equal(refreshed.status, 200, refreshed.body);
  assert.equal(JSON.parse(refreshed.body).username, USER);
  assert.match(refreshed.headers['set-cookie'][0], /;\s*Secure/i);
});

test('with TLS on, the http:// form of the address is not the own origin', async () => {
  const res = await request(`${TLS_URL}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: TLS_URL.replace('https:', 'http:') },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  assert.equal(res.status, 403, res.body);
});

test('a client that does not trust the certificate is refused by its TLS check', async () => {
  await assert.rejects(request(`${TLS_URL}/health`, { tls: {} }), /self[- ]signed|certificate/i);
  const health = await request(`${TLS_URL}/health`, { tls: { rejectUnauthorized: false } });
  assert.equal(health.status, 200);
});

test('plain http on the TLS port gets no HTTP answer', async () => {
  const plain = TLS_URL.replace('https:', 'http:');
  await assert.rejects(request(`${plain}/health`), (error) => error instanceof Error);
});

test('socket.io-client over https and wss: fPacket reaches the second socket, confirmation the first', async () => {
  const token = JSON.parse((await login()).body).accessToken;
  // One trusting the test CA and starting on polling (then upgrading to wss), one skipping the
  // certificate check and going straight to wss.
  const sender = io(TLS_URL, { auth: { token }, ca: CA, forceNew: true, reconnection: false });
  const receiver = io(TLS_URL, { auth: { token }, rejectUnauthorized: false, transports: ['websocket'], forceNew: true,
    reconnection: false });
  try {
    await connected(sender);
    await connected(receiver);
    assert.equal(receiver.io.engine.transport.name, 'websocket');
    if (sender.io.engine.transport.name !== 'websocket') {
      await once(sender.io.engine, 'upgrade');
    }
    assert.equal(sender.io.engine.transport.name, 'websocket', 'the polling socket upgraded to wss');

    const packetId = `p-${randomUUID()}`;
    const videoUrl = 'https://www.youtube.com/watch?v=tlsTest0001';
    const fPacket = once(receiver, 'fPacket');
    const confirmation = once(sender, 'confirmation');
    sender.emit('packet', { packetId, videoUrl, notes: [{ text: 'over tls', timestamp: 1.5 }] });
    const confirmed = await confirmation;
    assert.equal(confirmed.ok, true);
    assert.equal(confirmed.packetId, packetId);
    const delivered = await fPacket;
    assert.equal(delivered.packetId, packetId);
    assert.deepEqual(delivered.notes.map((n) => n.text), ['over tls']);
  } finally {
    sender.close();
    receiver.close();
  }
});
