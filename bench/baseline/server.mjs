// The Node baseline: the same wire contract as notesync (docs/protocol.md, packet path),
// written the straightforward way a competent Node developer would: socket.io v4, a JWT check,
// cleaning, one insertOne per packet with the official MongoDB driver, socket.to(room).emit,
// then confirm. Answers are chained per socket so a socket's confirmations keep its send order.
//
//   node baseline/server.mjs --port P --mongodb-uri URI --secret S [--workers N --admin-port A]
//
// With --workers N (N > 1) it runs the way the socket.io documentation scales a server over the
// cores of one machine: a node:cluster primary that hands each connection to a worker by its
// Engine.IO session id (@socket.io/sticky, least-connection for new ones) and N workers that
// broadcast to each other's rooms through the primary (@socket.io/cluster-adapter). The primary
// answers /bench/memory on --admin-port with the workers' memory summed (it asks them over IPC).
// Whether the ws addons bufferutil and utf-8-validate are used is up to the environment (ws skips
// them when WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE are set; run.mjs sets both for "baseline").
import http from 'node:http';
import cluster from 'node:cluster';
import { Server } from 'socket.io';
import { MongoClient, ObjectId } from 'mongodb';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { verify } from '../lib/jwt.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const port = Number(args.port ?? 8090);
const secret = args.secret;
const workers = Number(args.workers ?? 1);

const gcAndMeasure = () => { if (global.gc) global.gc(); return process.memoryUsage(); };

if (workers > 1 && cluster.isPrimary) {
  const httpServer = http.createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  setupPrimary();
  cluster.setupPrimary({ serialization: 'advanced' });
  for (let i = 0; i < workers; i++) cluster.fork();
  let asked = 0;
  const admin = http.createServer(async (req, res) => {
    if (req.url !== '/bench/memory') { res.writeHead(404).end(); return; }
    const id = ++asked;
    const all = Object.values(cluster.workers);
    const replies = await Promise.all(all.map((w) => new Promise((resolve) => {
      const onMessage = (m) => { if (m?.benchMemory === id) { w.off('message', onMessage); resolve(m.usage); } };
      w.on('message', onMessage);
      w.send({ benchMemoryRequest: id });
    })));
    const sum = {};
    for (const r of replies) for (const [k, v] of Object.entries(r)) sum[k] = (sum[k] ?? 0) + v;
    sum.pids = all.map((w) => w.process.pid);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sum));
  });
  admin.listen(Number(args['admin-port']), '127.0.0.1');
  httpServer.listen(port, '127.0.0.1', () => console.error(`baseline primary listening on 127.0.0.1:${port}, ${workers} workers`));
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { for (const w of Object.values(cluster.workers)) w.kill(); process.exit(0); });
}

async function serve() {
const mongo = new MongoClient(args['mongodb-uri'], { appName: 'baseline' });
await mongo.connect();
const packets = mongo.db(args.db ?? 'notesync').collection('packets');

const MAX_NOTES = 100, MAX_CHARS = 10000;
const PACKET_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function clean(text) {
  return text.replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .normalize('NFC').trim();
}

const DROPPED = new Set(['t', 'start', 'si', 'feature', 'fbclid', 'gclid']);
function canonicalVideo(raw) {
  let u;
  try { u = new URL(raw); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase();
  let m;
  if (/^(www\.|m\.|music\.)?youtube(-nocookie)?\.com$/.test(host)) {
    const id = u.pathname === '/watch' ? u.searchParams.get('v')
      : (m = u.pathname.match(/^\/(?:embed|shorts|live)\/([A-Za-z0-9_-]{11})\/?$/)) && m[1];
    if (id && /^[A-Za-z0-9_-]{11}$/.test(id)) return { key: `youtube:${id}`, url: `https://www.youtube.com/watch?v=${id}` };
  } else if (host === 'youtu.be' && (m = u.pathname.match(/^\/([A-Za-z0-9_-]{11})\/?$/))) {
    return { key: `youtube:${m[1]}`, url: `https://www.youtube.com/watch?v=${m[1]}` };
  } else if ((host === 'vimeo.com' || host === 'www.vimeo.com') && (m = u.pathname.match(/^\/([0-9]+)\/?$/))) {
    return { key: `vimeo:${m[1]}`, url: `https://vimeo.com/${m[1]}` };
  }
  u.hash = '';
  const kept = [...u.searchParams].filter(([k]) => !DROPPED.has(k) && !k.startsWith('utm_'))
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  u.search = new URLSearchParams(kept).toString();
  return { key: `url:${u.href}`, url: u.href };
}

/** The cleaned packet, or a packetError body. */
function parse(data) {
  const packetId = data?.packetId;
  const bad = (field, message, code = 'invalidPacket') =>
    ({ error: { packetId: typeof packetId === 'string' ? packetId : undefined, code, message, field, retryable: false } });
  if (typeof data !== 'object' || data === null) return bad(null, 'packet must be an object');
  if (typeof packetId !== 'string' || !PACKET_ID.test(packetId)) return bad('packetId', 'packetId is invalid');
  if (typeof data.videoUrl !== 'string' || data.videoUrl.length > 2048) return bad('videoUrl', 'videoUrl is invalid');
  const video = canonicalVideo(data.videoUrl.trim());
  if (!video) return bad('videoUrl', 'videoUrl must be an absolute http or https URL');
  const raw = Array.isArray(data.notes) ? data.notes : (data.text !== undefined ? [{ text: data.text, timestamp: data.timestamp }] : null);
  if (!raw || raw.length < 1 || raw.length > MAX_NOTES) return bad('notes', `notes must hold 1 to ${MAX_NOTES} entries`);
  const now = new Date();
  const notes = [];
  for (let i = 0; i < raw.length; i++) {
    const n = raw[i];
    if (typeof n?.text !== 'string') return bad(`notes[${i}].text`, 'text must be a string');
    if (typeof n.timestamp !== 'number' || !Number.isFinite(n.timestamp) || n.timestamp < 0) {
      return bad(`notes[${i}].timestamp`, 'timestamp must be a finite number >= 0');
    }
    const text = clean(n.text);
    if (text.length > MAX_CHARS) return bad(`notes[${i}].text`, 'note too long', 'tooLarge');
    if (text) notes.push({ id: new ObjectId().toHexString(), text, timestamp: n.timestamp, createdAt: now });
  }
  if (notes.length === 0) return bad('notes', 'no note left after cleaning');
  return { packet: { packetId, video, notes, now } };
}

const httpServer = http.createServer((req, res) => {
  if (req.url === '/health') { res.writeHead(200).end('{"ok":true}'); return; }
  if (req.url === '/bench/memory') {          // for the benchmark only: heap after a full GC
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(gcAndMeasure()));
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(httpServer, { pingInterval: 25000, pingTimeout: 20000, maxHttpBufferSize: 1e6 });
if (cluster.isWorker) {
  io.adapter(createAdapter());
  setupWorker(io);
  process.on('message', (m) => { if (m?.benchMemoryRequest) process.send({ benchMemory: m.benchMemoryRequest, usage: gcAndMeasure() }); });
}

io.on('connection', (socket) => {
  const check = verify(secret, socket.handshake.auth?.token);
  if (!check.username) {
    socket.emit('invalidToken', { reason: check.reason, message: check.message });
    socket.disconnect(true);
    return;
  }
  const username = check.username;
  let exp = check.exp;
  socket.join(username);
  let chain = Promise.resolve();

  socket.on('packet', (data, ack) => {
    const answer = handle(socket, username, data);
    chain = chain.then(() => answer).then(({ event, body, ackBody }) => {
      socket.emit(event, body);
      if (typeof ack === 'function') ack(ackBody);
    });
  });

  async function handle(socket, user, data) {
    const packetId = typeof data?.packetId === 'string' ? data.packetId : undefined;
    if (data?.accessToken !== undefined) {
      const renewed = verify(secret, data.accessToken);
      if (!renewed.username) return refusal('invalidToken', { reason: renewed.reason, message: renewed.message, packetId });
      if (renewed.username !== user) return refusal('invalidToken', { reason: 'userMismatch', message: 'another user', packetId });
      exp = Math.max(exp, renewed.exp);
    } else if (exp <= Date.now() / 1000) {
      return refusal('invalidToken', { reason: 'expired', message: 'token expired', packetId });
    }
    const parsed = parse(data);
    if (parsed.error) return refusal('packetError', parsed.error);
    const { packet } = parsed;
    let status = 'stored';
    try {
      await packets.insertOne({
        _id: `${user}/${packet.packetId}`, user, videoKey: packet.video.key, videoUrl: packet.video.url,
        storedAt: packet.now, notes: packet.notes,
      });
    } catch (e) {
      if (e.code === 11000) status = 'duplicate';
      else return refusal('packetError', { packetId, code: 'storageUnavailable', message: 'database unavailable', retryable: true });
    }
    if (status === 'stored') {
      socket.to(user).emit('fPacket', { packetId: packet.packetId, videoKey: packet.video.key, videoUrl: packet.video.url,
        notes: packet.notes.map((n) => ({ id: n.id, text: n.text, timestamp: n.timestamp, createdAt: n.createdAt.toISOString() })) });
    }
    const body = { ok: true, packetId: packet.packetId, status, stored: status === 'stored' ? packet.notes.length : 0, videoKey: packet.video.key };
    return { event: 'confirmation', body, ackBody: body };
  }
});

function refusal(event, body) {
  return { event, body, ackBody: { ok: false, error: body } };
}

if (!cluster.isWorker) httpServer.listen(port, '127.0.0.1', () => console.error(`baseline listening on 127.0.0.1:${port}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { io.close(); mongo.close().finally(() => process.exit(0)); });
}

// Last, so every constant above is initialised before a socket arrives.
if (!(workers > 1 && cluster.isPrimary)) await serve();
