// Load generator: one Node process (one event loop, at most one per core) driving many
// socket.io-client v4 sockets with the real protocol. Started by run.mjs with a JSON config as
// its only argument; writes one JSON object per line on stdout (progress and results) and takes
// commands ("close") on stdin. Every loop is bounded in count and time and ends by itself.
// With several server URLs (cfg.urls, the nodes of a cluster), socket s of user u goes to node
// (u + s) mod N: senders are spread over the nodes, and each sender's receivers alternate between
// the other nodes and its own, so fPackets cross nodes.
import { io } from 'socket.io-client';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { mint } from './lib/jwt.mjs';

const cfg = JSON.parse(process.argv[2]);
const runId = `${cfg.tag ?? 'g'}${process.pid.toString(36)}${Date.now().toString(36)}`;
const HARD_DEADLINE_MS = cfg.hardDeadlineMs ?? 15 * 60_000;
setTimeout(() => { out({ type: 'fatal', message: 'hard deadline reached' }); process.exit(3); }, HARD_DEADLINE_MS).unref();

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const log = (...a) => process.stderr.write(`[loadgen ${cfg.tag ?? ''}] ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const VIDEOS = ['dQw4w9WgXcQ', 'kJQP7kiw5Fk', '9bZkp7q19f0', 'OPf0YbXqDm0', 'JGwWNGJdvx8', 'RgKAFK5djSk',
  'fRh_vgS2dFE', 'YQHsXMglC9A', 'CevxZvSJLk8', 'hT_nvWreIhg'];
const TEXTS = ['  the chorus starts here ', 'key change\r\nback to the verse', 'remember this\tpart',
  'good explanation of the proof', 'slide 12: the diagram', 'question: why O(n log n)?'];

// ---- statistics ------------------------------------------------------------------------------
let stats;
function resetStats() {
  stats = { sent: 0, skipped: 0, confirmed: 0, stored: 0, duplicate: 0, notes: 0, conf: [], fwd: [], fwdCross: [],
    fwdExpected: 0, errors: {}, firstSend: null, lastAnswer: null };
}
resetStats();
const err = (code) => { stats.errors[code] = (stats.errors[code] ?? 0) + 1; };

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function summary(values) {
  const s = Float64Array.from(values).sort();
  const r = (x) => (x == null ? null : Math.round(x * 100) / 100);
  return { n: s.length, p50: r(pct(s, 50)), p90: r(pct(s, 90)), p99: r(pct(s, 99)), max: r(s.length ? s[s.length - 1] : null) };
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let cpuMark = process.cpuUsage();
let wallMark = now();
function ownCpu() {
  const c = process.cpuUsage(cpuMark);
  const wall = now() - wallMark;
  const r = { cpuPercent: Math.round(((c.user + c.system) / 1000 / wall) * 1000) / 10,
    loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100, rssMB: Math.round(process.memoryUsage().rss / 1048576) };
  cpuMark = process.cpuUsage(); wallMark = now(); loopDelay.reset();
  return r;
}

// ---- sockets ---------------------------------------------------------------------------------
const inflight = new Map(); // packetId -> { t0, sender, fwdLeft }
const users = [];           // { name, sockets: [client] }
let connectedNow = 0;

let clientCount = 0;
function makePacket(client, seq) {
  const user = client.user;
  const notes = [];
  const count = client.notesPerPacket ?? cfg.notesPerPacket ?? 3;
  for (let i = 0; i < count; i++) {
    const text = client.noteChars ? 'n'.repeat(client.noteChars) : TEXTS[(seq + i) % TEXTS.length];
    notes.push({ text, timestamp: (seq * 7 + i) % 3600 + 0.5 });
  }
  // Unique per socket: two sockets of one user sending the same packetId would be duplicates.
  return { packetId: `${runId}-${client.id}-${seq}`,
    videoUrl: `https://www.youtube.com/watch?v=${VIDEOS[seq % VIDEOS.length]}&t=${seq % 600}s`, notes };
}

const URLS = cfg.urls?.length ? cfg.urls : [cfg.url];
function openSocket(user, role, slot = 0) {
  return new Promise((resolve) => {
    const t0 = now();
    const node = (user.index + slot) % URLS.length;
    const socket = io(URLS[node], { transports: ['websocket'], auth: { token: user.token }, reconnection: false,
      forceNew: true, timeout: cfg.connectTimeoutMs ?? 20000 });
    const client = { id: clientCount++, socket, user, role, node, outstanding: 0, seq: 0, connected: false, connectMs: null };
    let settled = false;
    const settle = (ok) => { if (!settled) { settled = true; resolve(client); } };
    socket.on('connect', () => { client.connected = true; client.connectMs = now() - t0; connectedNow++; settle(true); });
    socket.on('connect_error', (e) => { err(`connect_error:${e.message}`); settle(false); });
    socket.on('disconnect', (reason) => {
      if (client.connected) { connectedNow--; client.connected = false; }
      if (!closing) err(`disconnect:${reason}`);
      settle(false);
    });
    socket.on('invalidToken', (b) => { err(`invalidToken:${b?.reason}`); answered(b?.packetId, null); });
    socket.on('packetError', (b) => { err(`packetError:${b?.code}`); answered(b?.packetId, null); });
    socket.on('confirmation', (b) => answered(b.packetId, b));
    socket.on('fPacket', (b) => {
      const f = inflight.get(b.packetId);
      if (f) {
        stats.fwd.push(now() - f.t0);
        if (f.sender.node !== client.node) stats.fwdCross.push(now() - f.t0);
        if (--f.fwdLeft <= 0 && f.answered) inflight.delete(b.packetId);
      }
    });
    client.onAnswer = null;
    users[user.index].sockets.push(client);
  });
}

function answered(packetId, body) {
  const f = packetId && inflight.get(packetId);
  if (!f || f.answered) return;
  f.answered = true;
  const t = now();
  f.sender.outstanding--;
  stats.lastAnswer = t;
  // Per-socket tallies where a scenario asked for them (slow: the sender's and the bystander's own).
  if (f.sender.latencies) { f.sender.latencies.push(t - f.t0); if (body) f.sender.ok++; else f.sender.failed++; }
  if (body) {
    stats.confirmed++;
    stats.conf.push(t - f.t0);
    if (body.status === 'duplicate') stats.duplicate++; else { stats.stored++; stats.notes += body.stored; }
  }
  if (f.fwdLeft <= 0) inflight.delete(packetId);
  if (f.sender.onAnswer) f.sender.onAnswer(f.sender);
}

function send(client) {
  const packet = makePacket(client, client.seq++);
  const receivers = client.user.sockets.filter((c) => c !== client && c.connected).length;
  const t0 = now();
  inflight.set(packet.packetId, { t0, sender: client, fwdLeft: receivers, answered: false });
  stats.sent++;
  stats.fwdExpected += receivers;
  stats.firstSend ??= t0;
  client.outstanding++;
  client.socket.emit('packet', packet);
}

async function connectAll(concurrency) {
  const jobs = [];
  for (const user of users) for (let s = 0; s < cfg.socketsPerUser; s++) jobs.push([user, s === 0 ? 'sender' : 'receiver', s]);
  const t0 = now();
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const [u, role, s] = jobs[next++]; await openSocket(u, role, s); } };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  const all = users.flatMap((u) => u.sockets);
  return { wallMs: Math.round(now() - t0), attempted: jobs.length, connected: all.filter((c) => c.connected).length,
    connectMs: summary(all.filter((c) => c.connectMs != null).map((c) => c.connectMs)) };
}

function senders() {
  return users.flatMap((u) => u.sockets.filter((c) => c.role === 'sender' && c.connected));
}

/** Waits until every packet sent is answered, at most drainMs; the rest count as timeouts. */
async function drain(drainMs) {
  const until = now() + drainMs;
  while (now() < until && [...inflight.values()].some((f) => !f.answered)) await sleep(5);
  await sleep(Math.min(200, drainMs)); // let trailing fPackets arrive
  // fPackets that crossed nodes (Redis) may trail further: wait for them too, at most 2 s more.
  const fwdUntil = Math.min(until + 200, now() + 2000);
  while (now() < fwdUntil && [...inflight.values()].some((f) => f.fwdLeft > 0)) await sleep(5);
  for (const [id, f] of inflight) {
    if (!f.answered) { err('timeout'); f.sender.outstanding--; }
    inflight.delete(id);
  }
}

function stepResult(extra) {
  const end = stats.lastAnswer ?? now();
  const elapsedS = Math.max(extra.durationS ?? 0, stats.firstSend != null ? (end - stats.firstSend) / 1000 : 0) || 1;
  return { ...extra, sent: stats.sent, skipped: stats.skipped, confirmed: stats.confirmed, stored: stats.stored,
    duplicate: stats.duplicate, confirmedPerSec: Math.round(stats.confirmed / elapsedS),
    notesPerSec: Math.round(stats.notes / elapsedS), confirmation: summary(stats.conf), fPacket: summary(stats.fwd),
    fPacketExpected: stats.fwdExpected, ...(URLS.length > 1 ? { fPacketCrossNode: summary(stats.fwdCross) } : {}), errors: stats.errors, connectionsHeld: connectedNow, generator: ownCpu() };
}

/** Open loop: packets at `rate` per second across all senders, whatever the answers do. */
async function steadyStep(rate, durationMs, maxOutstandingPerSender) {
  resetStats();
  const list = senders();
  const t0 = now();
  let due = 0;
  while (now() - t0 < durationMs) {
    const target = Math.floor((rate * (now() - t0)) / 1000);
    while (due < target) {
      const c = list[due % list.length];
      if (c.outstanding >= maxOutstandingPerSender) stats.skipped++; else send(c);
      due++;
    }
    await sleep(1);
  }
  await drain(cfg.drainMs ?? 5000);
  return stepResult({ offeredPerSec: rate, durationS: durationMs / 1000 });
}

/** Closed loop: each sender keeps `window` packets in flight, as fast as confirmations allow. */
async function maxStep(window, durationMs) {
  resetStats();
  const list = senders();
  let open = true;
  for (const c of list) c.onAnswer = (s) => { if (open && s.connected) send(s); };
  const t0 = now();
  for (const c of list) for (let i = 0; i < window; i++) send(c);
  await sleep(durationMs);
  open = false;
  const confirmedInWindow = stats.confirmed;
  const elapsed = (now() - t0) / 1000;
  await drain(cfg.drainMs ?? 5000);
  for (const c of list) c.onAnswer = null;
  const r = stepResult({ offeredPerSec: null, window, durationS: durationMs / 1000 });
  r.confirmedPerSec = Math.round(confirmedInWindow / elapsed);
  r.notesPerSec = Math.round((confirmedInWindow * (cfg.notesPerPacket ?? 3)) / elapsed);
  return r;
}

let closing = false;
async function closeAll() {
  closing = true;
  for (const u of users) for (const c of u.sockets) c.socket.disconnect();
  await sleep(200);
}

function makeUsers(count) {
  for (let i = 0; i < count; i++) {
    const name = `${cfg.userPrefix ?? 'bench'}-${runId}-${i}`;
    users.push({ index: i, name, token: mint(cfg.secret, name, 7200), sockets: [] });
  }
}

const stdinLines = [];
const waiters = [];
createInterface({ input: process.stdin }).on('line', (l) => {
  if (l.trim() === 'stop') { stopRequested = true; return; }
  const w = waiters.shift(); if (w) w(l.trim()); else stdinLines.push(l.trim());
});
const nextCommand = (timeoutMs) => new Promise((resolve) => {
  if (stdinLines.length) { resolve(stdinLines.shift()); return; }
  const t = setTimeout(() => resolve('timeout'), timeoutMs);
  waiters.push((l) => { clearTimeout(t); resolve(l); });
});


// ---- slow consumers and reconnect storms (issue 22) ------------------------------------------
let stopRequested = false;

/** The TCP socket under a connected socket.io-client WebSocket (ws's net.Socket). */
const tcpOf = (client) => client.socket.io?.engine?.transport?.ws?._socket ?? null;

/** The server's cut-off count from /metrics (notesync only), or null. */
async function cutOffCount() {
  if (!cfg.metricsToken) return null;
  try {
    const r = await fetch(`${URLS[0]}/metrics`, { headers: { authorization: `Bearer ${cfg.metricsToken}` }, signal: AbortSignal.timeout(2000) });
    const text = await r.text();
    let sum = 0;
    for (const m of text.matchAll(/^notesync_sockets_cut_off_total\{[^}]*\} ([0-9.eE+]+)$/gm)) sum += Number(m[1]);
    return sum;
  } catch { return null; }
}

/**
 * cfg.users users, each with cfg.pausedPerUser sockets that authenticate and then stop reading
 * (their TCP socket paused: a frozen tab) and one sender of near-maximum packets in a closed loop;
 * one more user, the bystander, sends a small packet every cfg.bystanderPeriodMs. For cfg.durationMs.
 */
async function slowScenario() {
  const bystanderUser = { index: users.length, name: `${cfg.userPrefix ?? 'bench'}-${runId}-bystander`, sockets: [] };
  bystanderUser.token = mint(cfg.secret, bystanderUser.name, 7200);
  users.push(bystanderUser);
  const paused = [];
  const sendersList = [];
  for (const user of users.slice(0, cfg.users)) {
    for (let i = 0; i < cfg.pausedPerUser; i++) {
      const c = await openSocket(user, 'receiver', i + 1);
      if (c.connected) { tcpOf(c)?.pause(); paused.push(c); }
    }
    const sender = await openSocket(user, 'sender', 0);
    Object.assign(sender, { notesPerPacket: cfg.senderNotes, noteChars: cfg.senderNoteChars, latencies: [], ok: 0, failed: 0 });
    sendersList.push(sender);
  }
  const bystander = await openSocket(bystanderUser, 'sender', 0);
  Object.assign(bystander, { latencies: [], ok: 0, failed: 0 });
  out({ type: 'stepStart', label: `slow ${cfg.users}x${cfg.pausedPerUser}` });
  const cutBase = await cutOffCount();
  const t0 = now();
  let firstCutMs = null;
  let allCutMs = null;
  const until = t0 + cfg.durationMs;
  for (const s of sendersList) {
    s.onAnswer = (c) => { if (!stopRequested && now() < until && c.connected) send(c); };
    if (s.connected) send(s);
  }
  const bystanderLoop = (async () => {
    while (!stopRequested && now() < until) {
      if (bystander.connected && bystander.outstanding < 50) send(bystander);
      await sleep(cfg.bystanderPeriodMs ?? 200);
    }
  })();
  while (!stopRequested && now() < until) {
    const cut = await cutOffCount();
    if (cut != null && cutBase != null) {
      if (firstCutMs == null && cut > cutBase) firstCutMs = Math.round(now() - t0);
      if (allCutMs == null && paused.length && cut - cutBase >= paused.length) allCutMs = Math.round(now() - t0);
    }
    await sleep(100);
  }
  await bystanderLoop;
  for (const s of sendersList) s.onAnswer = null;
  await drain(cfg.drainMs ?? 10000);
  const elapsedS = (now() - t0) / 1000;
  const senderOk = sendersList.reduce((a, s) => a + s.ok, 0);
  const r = { label: `slow ${cfg.users}x${cfg.pausedPerUser}`, users: cfg.users, pausedSockets: paused.length, durationS: Math.round(elapsedS * 10) / 10,
    stoppedEarly: stopRequested, firstCutOffMs: firstCutMs, allCutOffMs: allCutMs,
    sender: { confirmed: senderOk, failed: sendersList.reduce((a, s) => a + s.failed, 0),
      confirmedPerSec: Math.round((senderOk / elapsedS) * 10) / 10,
      confirmation: summary(sendersList.flatMap((s) => s.latencies)) },
    bystander: { confirmed: bystander.ok, failed: bystander.failed, ack: summary(bystander.latencies) },
    errors: stats.errors, generator: ownCpu() };
  out({ type: 'stepEnd', label: r.label, result: r });
  await closeAll();
  for (const c of paused) tcpOf(c)?.destroy();
  out({ type: 'done', steps: [r] });
}

/**
 * cfg.users x cfg.socketsPerUser WebSockets with socket.io-client's own reconnection (its default
 * backoff: 1 s doubling to 5 s, randomization 0.5). On "drop" every TCP connection is destroyed at
 * once, as a network blip or a load balancer restart does; each client then reconnects by itself.
 * Reports when each is back, the errors seen, and whether each one's next packet is confirmed.
 */
async function stormScenario() {
  const all = [];
  const openOne = (user) => new Promise((resolve) => {
    const socket = io(URLS[0], { transports: ['websocket'], auth: { token: user.token }, forceNew: true,
      timeout: cfg.connectTimeoutMs ?? 20000 });
    const c = { id: clientCount++, socket, user, role: 'sender', node: 0, outstanding: 0, seq: 0, connected: false, back: null };
    let first = true;
    socket.on('connect', () => {
      c.connected = true; connectedNow++;
      if (first) { first = false; resolve(c); } else if (dropAt != null && c.back == null) c.back = now() - dropAt;
    });
    // The transport's own error says why a WebSocket failed (ECONNRESET, ECONNREFUSED, a status).
    const why = (e) => { const d = e?.description; return d ? `:${d.code ?? d.message ?? d}` : ''; };
    socket.on('connect_error', (e) => { err(`connect_error:${e.message}${why(e)}`); if (first) { first = false; resolve(c); } });
    socket.on('disconnect', () => { if (c.connected) { c.connected = false; connectedNow--; } });
    socket.on('connectionRefused', (b) => err(`connectionRefused:${b?.code ?? b?.reason ?? '?'}`));
    socket.on('invalidToken', (b) => { err(`invalidToken:${b?.reason}`); answered(b?.packetId, null); });
    socket.on('packetError', (b) => { err(`packetError:${b?.code}`); answered(b?.packetId, null); });
    socket.on('confirmation', (b) => answered(b.packetId, b));
    user.sockets.push(c);
    all.push(c);
  });
  let dropAt = null;
  const jobs = [];
  for (const user of users) for (let s = 0; s < cfg.socketsPerUser; s++) jobs.push(user);
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: cfg.connectConcurrency ?? 250 }, async () => {
    while (next < jobs.length) await openOne(jobs[next++]);
  }));
  const connectErrorsBefore = { ...stats.errors };
  out({ type: 'held', connected: connectedNow, attempted: jobs.length, wallMs: Math.round(now() - t0), errors: connectErrorsBefore });
  const cmd = await nextCommand(cfg.holdMaxMs ?? 300_000);
  if (cmd !== 'drop') { await closeAll(); out({ type: 'done', command: cmd }); return; }
  resetStats();
  dropAt = now();
  for (const c of all) tcpOf(c)?.destroy();
  const deadline = dropAt + (cfg.stormDeadlineMs ?? 120_000);
  while (now() < deadline && all.some((c) => c.back == null)) await sleep(20);
  const backMs = all.filter((c) => c.back != null).map((c) => c.back);
  // Each socket's next packet, once every socket is back.
  for (const c of all) if (c.connected) send(c);
  await drain(cfg.drainMs ?? 30_000);
  const r = { label: 'storm', sockets: all.length, back: backMs.length, backAllMs: backMs.length ? Math.round(Math.max(...backMs)) : null,
    backMs: summary(backMs), sent: stats.sent, confirmed: stats.confirmed, errors: stats.errors, generator: ownCpu() };
  out({ type: 'stepEnd', label: 'storm', result: r });
  await closeAll();
  out({ type: 'done', steps: [r] });
}

// ---- scenarios -------------------------------------------------------------------------------
async function main() {
  makeUsers(cfg.users);
  ownCpu();
  if (cfg.mode === 'steady' || cfg.mode === 'fanout') {
    const conn = await connectAll(cfg.connectConcurrency ?? 100);
    out({ type: 'connected', ...conn });
    const steps = [];
    if (cfg.maxWindow) {
      out({ type: 'stepStart', label: 'max' });
      const r = await maxStep(cfg.maxWindow, cfg.maxDurationMs ?? cfg.stepMs);
      out({ type: 'stepEnd', label: 'max', result: r });
      steps.push(r);
    }
    for (const rate of cfg.rates ?? []) {
      out({ type: 'stepStart', label: `rate ${rate}` });
      const r = await steadyStep(rate, cfg.stepMs, cfg.maxOutstandingPerSender ?? 200);
      out({ type: 'stepEnd', label: `rate ${rate}`, result: r });
      steps.push(r);
      const delivered = r.confirmed / Math.max(1, r.sent + r.skipped);
      if (cfg.stopAtP99Ms && ((r.confirmation.p99 ?? Infinity) > cfg.stopAtP99Ms || delivered < 0.9)) break;
    }
    // Steps that run whatever the ladder did (half of notesync's maximum: a target is defined there).
    for (const rate of cfg.alwaysRates ?? []) {
      if (steps.some((x) => x.offeredPerSec === rate)) continue;
      out({ type: 'stepStart', label: `rate ${rate}` });
      const r = await steadyStep(rate, cfg.stepMs, cfg.maxOutstandingPerSender ?? 200);
      out({ type: 'stepEnd', label: `rate ${rate}`, result: r });
      steps.push(r);
    }
    await closeAll();
    out({ type: 'done', steps });
  } else if (cfg.mode === 'burst') {
    // Every socket is created in the same tick; each sends one packet as soon as it is connected.
    out({ type: 'stepStart', label: 'burst' });
    resetStats();
    const t0 = now();
    const all = [];
    for (const user of users) for (let s = 0; s < cfg.socketsPerUser; s++) {
      all.push(openSocket(user, 'sender', s).then((c) => { if (c.connected) send(c); return c; }));
    }
    const clients = await Promise.all(all);
    const connectedAt = now() - t0;
    await drain(cfg.drainMs ?? 20000);
    const r = stepResult({ durationS: 0, burstSockets: clients.length,
      connected: clients.filter((c) => c.connectMs != null).length, allConnectedMs: Math.round(connectedAt),
      allAnsweredMs: Math.round((stats.lastAnswer ?? now()) - t0),
      connectMs: summary(clients.filter((c) => c.connectMs != null).map((c) => c.connectMs)) });
    r.confirmedPerSec = Math.round(r.confirmed / (r.allAnsweredMs / 1000));
    out({ type: 'stepEnd', label: 'burst', result: r });
    await closeAll();
    out({ type: 'done', steps: [r] });
  } else if (cfg.mode === 'idle') {
    const conn = await connectAll(cfg.connectConcurrency ?? 200);
    out({ type: 'held', ...conn, connectionsHeld: connectedNow, generator: ownCpu() });
    const cmd = await nextCommand(cfg.holdMaxMs ?? 300_000);
    out({ type: 'done', command: cmd, connectionsHeld: connectedNow, errors: stats.errors, generator: ownCpu() });
    await closeAll();
  } else if (cfg.mode === 'slow') {
    await slowScenario();
  } else if (cfg.mode === 'storm') {
    await stormScenario();
  } else {
    throw new Error(`unknown mode ${cfg.mode}`);
  }
}

main().then(() => process.exit(0), (e) => { out({ type: 'fatal', message: String(e?.stack ?? e) }); process.exit(2); });
