// Reads at scale on the embedded store (issue 23): one user's requests with 0, 100,000 and
// 1,000,000 stored packets of 5,000 other users, in one run.
//
//   node bench/reads.mjs --sizes 0,100000 [--others 5000] [--rounds 30] [--tag name]
//
// For each size: notesync starts on a fresh data directory (bin/notesync, its default JVM options);
// the other users' packets are written through the MongoDB driver into the embedded store that
// server opened, in the layout before issue 23 (one document per packet, nothing else), and the
// layout marker is removed; the server is restarted, so it migrates them the way an upgraded
// install does (that start is the migration time); it is restarted once more (the start-up time).
// Then one user (not among the others) stores 20 packets over Socket.IO and, for each round,
// times a packet's ack, GET /api/notes, GET /api/notes?since, GET /api/videos, PATCH and DELETE
// of one of its notes. Reported: median and p99 (nearest rank) per request and size, the ratio of
// each median to the empty store's, disk bytes per stored note, start-up and migration times.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, ObjectId } from 'mongodb';
import { io } from 'socket.io-client';
import { mint } from './lib/jwt.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const sizes = opt('--sizes', '0,100000,1000000').split(',').map(Number);
const others = Number(opt('--others', '5000'));
const rounds = Number(opt('--rounds', '30'));
const tag = opt('--tag', `reads-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '')}`);
const outDir = join(here, 'results', tag);
mkdirSync(outDir, { recursive: true });
const secret = 'bench-reads-secret-0123456789abcdef-0123456789';
const jar = join(root, 'server', 'target', 'notesync.jar');
const say = (...m) => console.log(new Date().toISOString().slice(11, 19), ...m);

function startServer(dataDir, port, logName) {
  const child = spawn(join(root, 'bin', 'notesync'), ['serve', '--port', String(port), '--data-dir', dataDir,
    '--set', `auth.secret=${secret}`, '--set', 'server.host=127.0.0.1',
    // Like the main bench: no per-user rate limit in the way of the measuring user.
    '--set', 'limits.packetsPerSecond=100000', '--set', 'limits.packetBurst=100000'],
  { cwd: root, env: { ...process.env, NOTESYNC_JAR: jar, NOTESYNC_LOG_LEVEL: 'INFO' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (d) => log.push(d)); child.stderr.on('data', (d) => log.push(d));
  child.on('exit', () => writeFileSync(join(outDir, `${logName}.log`), Buffer.concat(log)));
  return child;
}
async function healthy(port, ms = 3_600_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return; } catch {}
    await sleep(100);
  }
  throw new Error('the server did not become healthy');
}
async function stop(child) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}
const freePort = () => import('node:net').then(({ createServer }) => new Promise((res) => {
  const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
}));
/** A start, timed from the process launch to /health answering 200. */
async function timedStart(dataDir, port, logName) {
  const started = Date.now();
  const child = startServer(dataDir, port, logName);
  await healthy(port);
  return { child, ms: Date.now() - started };
}

/** The layout before issue 23: a packet document, its notes embedded, nothing else. */
function oldPacket(user, i, at) {
  const video = 1000 + (i % 20);
  const notes = [0, 1, 2].map((n) => ({ id: new ObjectId().toHexString(), text: `note ${n} of packet ${i} by ${user}, a line of ordinary length`,
    timestamp: i * 10 + n, createdAt: at }));
  return { _id: `${user}/p${i}`, user, videoKey: `vimeo:${video}`, videoUrl: `https://vimeo.com/${video}`, storedAt: at, notes };
}

async function seed(dataDir, packets) {
  const uri = readFileSync(join(dataDir, 'embedded-mongodb.address'), 'utf8').trim();
  const client = await MongoClient.connect(uri);
  const db = client.db('notesync');
  const perUser = Math.ceil(packets / others);
  let written = 0; let batch = [];
  const at = new Date();
  for (let u = 0; u < others && written + batch.length < packets; u++) {
    for (let i = 0; i < perUser && written + batch.length < packets; i++) {
      batch.push(oldPacket(`other-${u}`, i, at));
      if (batch.length === 2000) { await db.collection('packets').insertMany(batch, { ordered: false }); written += batch.length; batch = []; }
    }
    if (u % 500 === 0) say(`  seeded ${written} packets`);
  }
  if (batch.length) { await db.collection('packets').insertMany(batch, { ordered: false }); written += batch.length; }
  await db.collection('notesyncMeta').deleteOne({ _id: 'layout' });
  await client.close();
  return written;
}

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };
async function timed(fn) { const t = process.hrtime.bigint(); const r = await fn(); return [Number(process.hrtime.bigint() - t) / 1e6, r]; }

async function measure(port) {
  const url = `http://127.0.0.1:${port}`;
  const user = 'bench-reader';
  const token = mint(secret, user);
  const auth = { Authorization: `Bearer ${token}` };
  const video = 'https://vimeo.com/424242';
  const socket = io(url, { transports: ['websocket'], auth: { token } });
  await new Promise((res, rej) => { socket.once('connect', res); socket.once('connect_error', rej); });
  const emit = (packet) => socket.timeout(30000).emitWithAck('packet', packet);
  let n = 0;
  const packet = () => ({ packetId: `r-${n++}`, videoUrl: video,
    notes: [0, 1, 2].map((k) => ({ text: `reader note ${n}.${k}`, timestamp: n * 10 + k })) });
  for (let i = 0; i < 20; i++) await emit(packet());
  const times = { ack: [], notes: [], since: [], videos: [], patch: [], delete: [] };
  const list = async () => (await fetch(`${url}/api/notes?videoUrl=${encodeURIComponent(video)}`, { headers: auth })).json();
  let { notes, cursor } = await list();
  for (let r = 0; r < rounds; r++) {
    const [ackMs, ack] = await timed(() => emit(packet()));
    if (!ack.ok) throw new Error(`ack: ${JSON.stringify(ack)}`);
    times.ack.push(ackMs);
    const [notesMs, body] = await timed(list);
    times.notes.push(notesMs);
    const [sinceMs] = await timed(async () => (await fetch(`${url}/api/notes?videoUrl=${encodeURIComponent(video)}&since=${cursor}`, { headers: auth })).json());
    times.since.push(sinceMs);
    cursor = body.cursor; notes = body.notes;
    const [videosMs, videos] = await timed(async () => (await fetch(`${url}/api/videos`, { headers: auth })).json());
    if (!videos.videos) throw new Error(JSON.stringify(videos));
    times.videos.push(videosMs);
    const [patchMs, patched] = await timed(() => fetch(`${url}/api/notes/${notes[0].id}`, { method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ text: `edited ${r}` }) }));
    if (patched.status !== 200) throw new Error(`PATCH ${patched.status}`);
    times.patch.push(patchMs);
    const [deleteMs, deleted] = await timed(() => fetch(`${url}/api/notes/${notes[notes.length - 1].id}`, { method: 'DELETE', headers: auth }));
    if (deleted.status !== 204) throw new Error(`DELETE ${deleted.status}`);
    times.delete.push(deleteMs);
  }
  socket.close();
  const out = {};
  for (const [k, xs] of Object.entries(times)) out[k] = { median: quantile(xs, 0.5), p99: quantile(xs, 0.99), n: xs.length };
  return out;
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const results = [];
for (const size of sizes) {
  const dataDir = join(outDir, `data-${size}`);
  rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  say(`size ${size}: first start (load ${load()})`);
  let { child } = await timedStart(dataDir, port, `server-${size}-first`);
  let seeded = 0; let migrationMs = null;
  if (size > 0) {
    seeded = await seed(dataDir, size);
    say(`  seeded ${seeded} packets of ${others} users in the old layout; restarting to migrate (load ${load()})`);
    await stop(child);
    ({ child, ms: migrationMs } = await timedStart(dataDir, port, `server-${size}-migration`));
    say(`  migrated and started in ${migrationMs} ms`);
  }
  await stop(child);
  const start = await timedStart(dataDir, port, `server-${size}`);
  child = start.child;
  say(`  started in ${start.ms} ms (load ${load()}); measuring`);
  const loadBefore = load();
  const requests = await measure(port);
  const loadAfter = load();
  await stop(child);
  const bytes = statSync(join(dataDir, 'notesync.mv.db')).size;
  results.push({ size, seeded, notes: seeded * 3, bytes, bytesPerNote: seeded ? Math.round(bytes / (seeded * 3)) : null,
    startupMs: start.ms, migrationMs, loadBefore, loadAfter, requests });
  say(`  ${JSON.stringify(requests)}`);
  rmSync(dataDir, { recursive: true, force: true });
}

const base = results.find((r) => r.size === 0);
const names = { notes: 'GET /api/notes', since: 'GET /api/notes?since', videos: 'GET /api/videos', patch: 'PATCH /api/notes/{id}', delete: 'DELETE /api/notes/{id}', ack: 'packet ack' };
let md = `# Reads at scale (${tag})\n\n${others} other users; ${rounds} rounds per size; times in ms (median / p99, nearest rank).\n\n`;
md += `| packets of others | ${Object.values(names).join(' | ')} | start-up | migration | disk bytes per note | load before / after |\n`;
md += `| --- | ${Object.keys(names).map(() => '---').join(' | ')} | --- | --- | --- | --- |\n`;
for (const r of results) {
  md += `| ${r.size.toLocaleString('en')} | ${Object.keys(names).map((k) => `${r.requests[k].median.toFixed(1)} / ${r.requests[k].p99.toFixed(1)}`
    + (base && r !== base ? ` (${(r.requests[k].median / base.requests[k].median).toFixed(2)}x)` : '')).join(' | ')}`
    + ` | ${r.startupMs} ms | ${r.migrationMs === null ? '-' : `${r.migrationMs} ms`} | ${r.bytesPerNote ?? '-'} | ${r.loadBefore} / ${r.loadAfter} |\n`;
}
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ tag, others, rounds, results }, null, 2));
writeFileSync(join(outDir, 'README.md'), md);
console.log(md);
