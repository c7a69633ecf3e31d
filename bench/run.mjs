// Benchmark orchestrator: starts one database server (mongo-java-server with H2, the embedded
// store of a notesync jar), notesync and the Node baseline both pointed at it, runs the four
// scenarios against each server in turn, samples the servers' CPU and memory from /proc, and
// writes a console table, results.json and chart.html. With --nodes N (N > 1) it also starts a
// Redis and an N-node notesync cluster (kind "notesync-Nn") on the same database, measured next to
// the single node. See docs/benchmark.md.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync, createWriteStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { renderHtml } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };

const quick = flag('--quick');
const jfr = flag('--jfr');
const only = opt('--scenarios', 'steady,burst,idle,fanout,slow,storm').split(',');
// --nodes N > 1: an N-node notesync cluster (one Redis, same database) is measured right after the
// single node, and the report gives cluster / single-node ratios.
const nodes = Number(opt('--nodes', 1));
if (!Number.isInteger(nodes) || nodes < 1) throw new Error(`--nodes wants a whole number >= 1, not ${opt('--nodes')}`);
const clusterKind = nodes > 1 ? `notesync-${nodes}n` : null;
// Node anchors: "baseline" is one process without the ws addons (WS_NO_BUFFER_UTIL and
// WS_NO_UTF_8_VALIDATE set), "baseline-addons" the same with bufferutil and utf-8-validate,
// "baseline-cluster" two workers behind node:cluster with @socket.io/sticky and
// @socket.io/cluster-adapter (see baseline/server.mjs).
const BASELINES = ['baseline', 'baseline-addons', 'baseline-cluster'];
const servers = opt('--servers', ['notesync', ...BASELINES].join(',')).split(',');
if (clusterKind && !servers.includes(clusterKind)) servers.splice(servers.includes('notesync') ? servers.indexOf('notesync') + 1 : servers.length, 0, clusterKind);
const isNotesync = (kind) => kind === 'notesync' || kind === clusterKind;
const isBaseline = (kind) => BASELINES.includes(kind);
const jar = resolve(root, opt('--jar', 'server/target/notesync.jar'));
const outDir = resolve(opt('--out', join(here, 'results', new Date().toISOString().replace(/[:.]/g, '-') + (quick ? '-quick' : ''))));
const jvmOpts = (opt('--jvm-opts', '') || '').split(' ').filter(Boolean);
// Extra notesync settings, e.g. --ns-set writer.inFlightBatches=2,writer.maxBatchPackets=128. The
// baseline has no per-user rate or socket limit and no store timeout (its driver waits), so
// notesync's are lifted too (later settings win): on a machine slowed by other work the closed
// loop otherwise measures notesync's 5 s store timeout (storageUnavailable) instead of its rate.
const LIFTED_LIMITS = 'limits.packetsPerSecond=1000000,limits.packetBurst=1000000,limits.maxConnectionsPerUser=100000,mongodb.timeoutMs=120000';
const nsSet = [LIFTED_LIMITS, opt('--ns-set', '') || ''].join(',').split(',').filter(Boolean).flatMap((kv) => ['--set', kv]);
const secret = randomBytes(32).toString('hex');
// The slow-consumer scenario reads notesync's cut-off counter from /metrics.
const metricsToken = randomBytes(24).toString('hex');
const HARD_DEADLINE = Date.now() + (quick ? 8 : 60) * 60_000;

// Scenario sizes. --quick keeps every scenario but small, so the whole run stays under a minute.
const P = quick ? {
  steady: { users: 40, socketsPerUser: 3, maxWindow: 4, maxDurationMs: 2500, warmupMs: 1500, halfLoadRounds: 1, stepMs: 2000, rates: [200, 800], stopAtP99Ms: 50 },
  burst: { users: 250, socketsPerUser: 2 },
  idle: { sockets: 1000, processes: 2, holdMs: 1000 },
  fanout: { users: 1, socketsPerUser: 11, stepMs: 2000, rates: [200] },
  slow: { phases: [[1, 0], [1, 19]], durationMs: 8000, rssCapMB: 2048 },
  storm: { sockets: 600, socketsPerUser: 5, processes: 2 },
} : {
  steady: { users: 200, socketsPerUser: 3, maxWindow: 4, maxDurationMs: 10000, warmupMs: 8000, halfLoadRounds: 5, stepMs: 8000,
    rates: [250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12000], stopAtP99Ms: 50 },
  burst: { users: 1000, socketsPerUser: 2 },
  idle: { sockets: Number(opt('--idle', 19800)), processes: 2, holdMs: 30000 },
  fanout: { users: 1, socketsPerUser: 11, stepMs: 8000, rates: [200, 1000], maxWindow: 8, maxDurationMs: 5000 },
  // Issue 22. Node's anchor has no bound: its RSS grew by 3 GiB in 20 s with one such user, so a
  // run stops a server's slow-consumer phase early once its RSS has grown by rssCapMB (the
  // machine is shared), and says so.
  // Phases: [users, paused sockets per user]; the first, without paused sockets, is the senders' reference.
  slow: { phases: [[1, 0], [1, 19], [5, 19]], durationMs: 30000, rssCapMB: 3072 },
  storm: { sockets: Number(opt('--storm', 15000)), socketsPerUser: 5, processes: 3 },
};

mkdirSync(outDir, { recursive: true });
const children = [];
const say = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) { try { c.kill('SIGTERM'); } catch {} }
}
process.on('exit', () => { for (const c of children) if (c.exitCode === null) { try { c.kill('SIGKILL'); } catch {} } });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { cleanup(); process.exit(130); });

function start(name, cmd, args, env = {}) {
  const log = createWriteStream(join(outDir, `${name}.log`));
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log); child.stderr.pipe(log);
  children.push(child);
  child.on('exit', (code, sig) => { if (!stopping.has(child)) say(`${name} exited early (${code ?? sig}); see ${name}.log`); });
  return child;
}
const stopping = new Set();
async function stop(child, ms = 15000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  if (await Promise.race([done.then(() => true), sleep(ms).then(() => false)]) === false) { child.kill('SIGKILL'); await done; }
}

async function waitFor(check, what, ms = 60000) {
  const until = Date.now() + ms;
  while (Date.now() < until) { try { const v = await check(); if (v) return v; } catch {} await sleep(200); }
  throw new Error(`timed out waiting for ${what}`);
}
const freePort = () => new Promise((res) => {
  import('node:net').then(({ createServer }) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
});
// With a timeout: the cluster baseline's primary accepts before its workers listen, and such a request never ends.
const healthy = (port) => fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok);

// ---- /proc sampling ---------------------------------------------------------------------------
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** Busy and total jiffies of the whole machine: what other processes take shows up here. */
function machineStat() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] || 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICK, total: total / TICK };
}
const machinePct = (a, b, cpus) => Math.round(((b.busy - a.busy) / (b.total - a.total)) * cpus * 1000) / 10;
const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(f[11]) + Number(f[12])) / TICK;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  return { t: Date.now(), cpuS, rss };
}
/** The processes of one server (every node of a cluster, and its Redis) summed. */
function srvStat(srv) {
  const all = srv.pids.map(procStat);
  return { t: Date.now(), cpuS: all.reduce((a, x) => a + x.cpuS, 0), rss: all.reduce((a, x) => a + x.rss, 0) };
}
const cpuPct = (a, b) => Math.round(((b.cpuS - a.cpuS) / ((b.t - a.t) / 1000)) * 1000) / 10;
const MB = (b) => Math.round((b / 1048576) * 10) / 10;

/**
 * Memory after a full collection. JVM: live heap (jcmd GC.heap_info after GC.run), native memory
 * committed by category (NMT summary; notesync runs with -XX:NativeMemoryTracking=summary in the
 * bench) and the class histogram. Node: process.memoryUsage() from /bench/memory after gc():
 * heapUsed, and external + arrayBuffers as its native part.
 */
async function memoryAfterGc(srv, withHistogram = false) {
  if (isNotesync(srv.kind)) {
    let heap = 0;
    const nmt = {};
    const histogram = {};
    for (const pid of srv.nodePids) {
      execFileSync('jcmd', [String(pid), 'GC.run'], { stdio: 'ignore' });
      const info = execFileSync('jcmd', [String(pid), 'GC.heap_info']).toString();
      // G1 prints one "garbage-first heap" line, Serial and Parallel one line per generation.
      const gens = [...info.matchAll(/(?:heap|generation|PSYoungGen|ParOldGen)\s+total (\d+)K, used (\d+)K/g)];
      if (!gens.length) return null;
      heap += gens.reduce((a, g) => a + Number(g[2]) * 1024, 0);
      try {
        const text = execFileSync('jcmd', [String(pid), 'VM.native_memory', 'summary']).toString();
        const total = /Total: reserved=(\d+)KB, committed=(\d+)KB/.exec(text);
        if (total) nmt.Total = (nmt.Total ?? 0) + Number(total[2]) * 1024;
        for (const c of text.matchAll(/^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)/gm)) {
          nmt[c[1].trim()] = (nmt[c[1].trim()] ?? 0) + Number(c[3]) * 1024;
        }
      } catch { /* NMT off */ }
      if (withHistogram) {
        const text = execFileSync('jcmd', [String(pid), 'GC.class_histogram'], { maxBuffer: 64 << 20 }).toString();
        for (const h of text.matchAll(/^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/gm)) {
          const e = histogram[h[3]] ?? (histogram[h[3]] = { instances: 0, bytes: 0 });
          e.instances += Number(h[1]); e.bytes += Number(h[2]);
        }
      }
    }
    return { heap, native: nmt.Total != null ? nmt.Total - (nmt['Java Heap'] ?? 0) : null, nmt, histogram };
  }
  const r = await (await fetch(srv.memoryUrl)).json();
  return { heap: r.heapUsed, native: r.external + (r.arrayBuffers ?? 0), nmt: null, histogram: null };
}
async function heapAfterGc(srv) { return (await memoryAfterGc(srv))?.heap ?? null; }

/** The classes whose instances grew most between two histograms, per socket. */
function histogramGrowth(before, after, sockets, top = 40) {
  if (!before || !after || !sockets) return null;
  return Object.entries(after).map(([cls, a]) => {
    const b = before[cls] ?? { instances: 0, bytes: 0 };
    return { class: cls, bytesPerSocket: Math.round(((a.bytes - b.bytes) / sockets) * 10) / 10,
      instancesPerSocket: Math.round(((a.instances - b.instances) / sockets) * 100) / 100 };
  }).sort((x, y) => y.bytesPerSocket - x.bytesPerSocket).slice(0, top);
}

// ---- servers ----------------------------------------------------------------------------------
async function startDb() {
  const dir = join(outDir, 'db-data');
  rmSync(dir, { recursive: true, force: true });
  const port = await freePort();
  const jfrOpts = jfr ? [`-XX:StartFlightRecording=filename=${join(outDir, 'db.jfr')},settings=profile,dumponexit=true`] : [];
  const child = start('db', 'java', [...jfrOpts, '-jar', jar, 'serve', '--port', String(port), '--data-dir', dir,
    '--set', `auth.secret=${secret}`, '--set', 'server.host=127.0.0.1'], { NOTESYNC_LOG_LEVEL: 'WARN' });
  const uri = await waitFor(() => existsSync(join(dir, 'embedded-mongodb.address')) &&
    readFileSync(join(dir, 'embedded-mongodb.address'), 'utf8').trim(), 'the database server');
  await waitFor(() => healthy(port), 'the database host');
  return { child, uri };
}

/** redis-server from PATH, else the Linux x86_64 one inside the embedded-redis jar (the tests' Redis). */
function redisServerBinary() {
  const onPath = spawnSync('sh', ['-c', 'command -v redis-server']).stdout.toString().trim();
  if (onPath) return onPath;
  const entry = 'redis-server-6.2.6-v5-linux-amd64';
  const bin = join(here, '.redis', entry);
  if (existsSync(bin)) return bin;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('--nodes > 1 needs redis-server on PATH');
  const artifact = 'com.github.codemonstur:embedded-redis:1.4.4';
  const jarFile = join(os.homedir(), '.m2/repository/com/github/codemonstur/embedded-redis/1.4.4/embedded-redis-1.4.4.jar');
  if (!existsSync(jarFile)) execFileSync('mvn', ['-q', 'dependency:get', `-Dartifact=${artifact}`], { stdio: 'inherit' });
  mkdirSync(dirname(bin), { recursive: true });
  execFileSync('jar', ['xf', jarFile, entry], { cwd: dirname(bin) });
  chmodSync(bin, 0o755);
  return bin;
}

async function startRedis() {
  const bin = redisServerBinary();
  const port = await freePort();
  const child = start('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  const { connect } = await import('node:net');
  await waitFor(() => new Promise((res) => {
    const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.on('data', (d) => { s.destroy(); res(d.toString().startsWith('+PONG')); });
    s.on('error', () => res(false));
  }), 'redis-server');
  return { child, bin, uri: `redis://127.0.0.1:${port}` };
}

/**
 * notesync as docs/operations.md starts it: bin/notesync with its default JVM options. NOTESYNC_JAVA_OPTS
 * adds native memory tracking (for the idle scenario's NMT lines), --jvm-opts and --jfr.
 */
function startNode(name, port, dbUri, database, extra = []) {
  const jfrOpts = jfr ? [`-XX:StartFlightRecording=filename=${join(outDir, `${name}.jfr`)},settings=profile,dumponexit=true`] : [];
  const javaOpts = ['-XX:NativeMemoryTracking=summary', ...jvmOpts, ...jfrOpts].join(' ');
  return start(name, join(root, 'bin', 'notesync'), ['serve', '--port', String(port),
    '--data-dir', join(outDir, `${name}-data`), '--mongodb-uri', dbUri,
    '--set', `auth.secret=${secret}`, '--set', 'server.host=127.0.0.1', '--set', `mongodb.database=${database}`,
    '--set', `metrics.token=${metricsToken}`, ...extra, ...nsSet],
  { NOTESYNC_JAVA_OPTS: javaOpts, NOTESYNC_JAR: jar });
}

async function startServer(kind, dbUri, redis) {
  if (kind === clusterKind) {
    // Every node on the same database and Redis; ready once each has seen its own heartbeat come back.
    const ports = [];
    const kids = [];
    for (let i = 1; i <= nodes; i++) {
      const port = await freePort();
      ports.push(port);
      kids.push(startNode(`${kind}-node${i}`, port, dbUri, 'bench_notesync_cluster', ['--set', `cluster.redis.uri=${redis.uri}`]));
    }
    for (const port of ports) {
      await waitFor(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json()).then((h) => h.cluster === 'up'),
        `${kind} node on ${port} to report cluster up`);
    }
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    return { kind, port: ports[0], child: kids[0], url: urls[0], urls,
      pids: [...kids.map((c) => c.pid), redis.child.pid], nodePids: kids.map((c) => c.pid) };
  }
  const port = await freePort();
  let child;
  let memoryUrl = `http://127.0.0.1:${port}/bench/memory`;
  if (kind === 'notesync') {
    child = startNode('notesync', port, dbUri, 'bench_notesync');
  } else {
    const extra = [];
    if (kind === 'baseline-cluster') {
      const adminPort = await freePort();
      extra.push('--workers', '2', '--admin-port', String(adminPort));
      memoryUrl = `http://127.0.0.1:${adminPort}/bench/memory`;
    }
    const env = kind === 'baseline-addons' ? {} : { WS_NO_BUFFER_UTIL: '1', WS_NO_UTF_8_VALIDATE: '1' };
    child = start(kind, 'node', ['--expose-gc', join(here, 'baseline/server.mjs'), '--port', String(port),
      '--mongodb-uri', `${dbUri}/`, '--db', `bench_${kind.replace('-', '_')}`, '--secret', secret, ...extra], env);
  }
  await waitFor(() => healthy(port), `${kind} to answer /health`);
  const url = `http://127.0.0.1:${port}`;
  let pids = [child.pid];
  if (kind === 'baseline-cluster') {
    // The primary plus its workers, so CPU and RSS are the whole server's.
    const workers = await waitFor(async () => { const r = await (await fetch(memoryUrl, { signal: AbortSignal.timeout(3000) })).json(); return r.pids?.length === 2 && r.pids; },
      'the baseline cluster workers');
    pids = [child.pid, ...workers];
  }
  return { kind, port, child, url, urls: [url], pids, nodePids: [child.pid], memoryUrl };
}

// ---- load generator ---------------------------------------------------------------------------
/** Runs one generator process; onLine sees every JSON line; resolves with all lines. */
function generator(cfg, onLine = () => {}) {
  const child = spawn('node', [join(here, 'loadgen.mjs'), JSON.stringify(cfg)], { cwd: here, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const errLog = createWriteStream(join(outDir, `loadgen-${cfg.tag}.log`), { flags: 'a' });
  child.stderr.pipe(errLog);
  const lines = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    let m; try { m = JSON.parse(l); } catch { return; }
    lines.push(m); onLine(m, child);
  });
  const done = new Promise((res, rej) => child.on('exit', (code) => {
    const fatal = lines.find((l) => l.type === 'fatal');
    if (fatal || code !== 0) rej(new Error(`load generator ${cfg.tag} failed (${code}): ${fatal?.message ?? ''}`)); else res(lines);
  }));
  return { child, done };
}

/** Runs a stepped generator and attaches server CPU/RSS and database CPU to each step. */
async function steppedRun(srv, db, cfg) {
  let mark;
  const steps = [];
  const { done } = generator({ ...cfg, url: srv.url, urls: srv.urls, secret }, (m) => {
    if (m.type === 'stepStart') mark = { srv: srvStat(srv), db: procStat(db.child.pid), machine: machineStat() };
    if (m.type === 'stepEnd') {
      const end = { srv: srvStat(srv), db: procStat(db.child.pid), machine: machineStat() };
      const r = m.result;
      r.label = m.label;
      r.server = { cpuPercent: mark ? cpuPct(mark.srv, end.srv) : null, rssMB: MB(end.srv.rss),
        rssPerConnKB: r.connectionsHeld ? Math.round(end.srv.rss / r.connectionsHeld / 102.4) / 10 : null };
      r.db = { cpuPercent: mark ? cpuPct(mark.db, end.db) : null };
      // The whole machine's busy CPU (100% = one core) and what is left for processes not ours.
      r.machine = { cpuPercent: mark ? machinePct(mark.machine, end.machine, os.cpus().length) : null, loadavg: loadavg() };
      r.machine.othersCpuPercent = r.machine.cpuPercent == null ? null
        : Math.round((r.machine.cpuPercent - r.server.cpuPercent - r.db.cpuPercent - r.generator.cpuPercent) * 10) / 10;
      steps.push(r);
      say(`  ${srv.kind} ${m.label}: ${r.confirmedPerSec} pkt/s, conf p50 ${r.confirmation.p50} p99 ${r.confirmation.p99} ms,` +
        ` fPacket p99 ${r.fPacket.p99} ms${r.fPacketCrossNode ? ` (cross-node p99 ${r.fPacketCrossNode.p99} ms, ${r.fPacket.n}/${r.fPacketExpected} arrived)` : ''}, server CPU ${r.server.cpuPercent}%, gen CPU ${r.generator.cpuPercent}%,` +
        ` errors ${JSON.stringify(r.errors)}`);
    }
  });
  const lines = await done;
  const connected = lines.find((l) => l.type === 'connected');
  return { connect: connected ?? null, steps };
}

async function idleRun(srv, db, cfg) {
  const before = srvStat(srv);
  const memBefore = await memoryAfterGc(srv, true);
  const heapBefore = memBefore?.heap ?? null;
  const rssBefore = srvStat(srv).rss;
  const per = Math.ceil(cfg.sockets / cfg.processes);
  const gens = [];
  const held = [];
  const allHeld = new Promise((res) => {
    for (let i = 0; i < cfg.processes; i++) {
      const n = Math.min(per, cfg.sockets - i * per);
      const g = generator({ mode: 'idle', tag: `idle${i}`, userPrefix: `idle${i}`, url: srv.url, urls: srv.urls, secret, users: Math.ceil(n / 2),
        socketsPerUser: 2, connectConcurrency: 250, connectTimeoutMs: 20000, holdMaxMs: 300000 }, (m) => {
        if (m.type === 'held') { held.push(m); if (held.length === cfg.processes) res(); }
      });
      gens.push(g);
    }
  });
  await allHeld;
  await sleep(2000);
  // RSS is read after the full collection (as the Node baseline's, after gc()), as it has been
  // since the first runs; rssNoGcMB is the same a moment before that collection.
  const preGc = srvStat(srv);
  const memAfter = await memoryAfterGc(srv, true);
  const heapAfter = memAfter?.heap ?? null;
  const mid = srvStat(srv);
  await sleep(cfg.holdMs);
  const end = srvStat(srv);
  for (const g of gens) g.child.stdin.write('close\n');
  const results = await Promise.all(gens.map((g) => g.done));
  const finals = results.map((ls) => ls.find((l) => l.type === 'done'));
  const connectionsHeld = finals.reduce((a, f) => a + f.connectionsHeld, 0);
  const errors = {};
  for (const f of finals) for (const [k, v] of Object.entries(f.errors)) errors[k] = (errors[k] ?? 0) + v;
  for (const h of held) for (const [k, v] of Object.entries(h.errors ?? {})) errors[k] = errors[k] ?? v;
  const connectedAtPeak = held.reduce((a, h) => a + h.connected, 0);
  const r = {
    label: 'idle', attempted: cfg.sockets, connectedAtPeak, connectionsHeld, heldForS: cfg.holdMs / 1000,
    connectWallMs: Math.max(...held.map((h) => h.wallMs)), connectMs: held[0]?.connectMs, errors,
    server: { rssBeforeMB: MB(rssBefore), rssMB: MB(mid.rss), rssNoGcMB: MB(preGc.rss), rssEndMB: MB(end.rss),
      rssPerConnKB: Math.round(((mid.rss - rssBefore) / connectedAtPeak / 1024) * 10) / 10,
      heapBeforeMB: MB(heapBefore), heapMB: MB(heapAfter),
      heapPerConnKB: Math.round(((heapAfter - heapBefore) / connectedAtPeak / 1024) * 10) / 10,
      nativePerConnKB: memAfter?.native != null && memBefore?.native != null
        ? Math.round(((memAfter.native - memBefore.native) / connectedAtPeak / 1024) * 10) / 10 : null,
      cpuPercent: cpuPct(before, end), idleCpuPercent: cpuPct(mid, end) },
    nmtPerConnKB: memAfter?.nmt && memBefore?.nmt ? Object.fromEntries(Object.keys(memAfter.nmt)
      .map((k) => [k, Math.round((((memAfter.nmt[k] ?? 0) - (memBefore.nmt[k] ?? 0)) / connectedAtPeak / 1024) * 100) / 100])
      .filter(([, v]) => v !== 0).sort((a, b) => b[1] - a[1])) : null,
    topClassesPerConn: histogramGrowth(memBefore?.histogram, memAfter?.histogram, connectedAtPeak),
    generator: { cpuPercent: Math.round(held.reduce((a, h) => a + h.generator.cpuPercent, 0) * 10) / 10,
      rssMB: held.reduce((a, h) => a + h.generator.rssMB, 0), processes: cfg.processes },
  };
  r.server.rssFor20kMB = Math.round(r.server.rssBeforeMB + (r.server.rssPerConnKB * 20000) / 1024);
  say(`  ${srv.kind} idle: held ${connectionsHeld}/${cfg.sockets}, RSS ${r.server.rssMB} MB (${r.server.rssPerConnKB} KiB/conn),` +
    ` heap ${r.server.heapPerConnKB} KiB/conn, native ${r.server.nativePerConnKB} KiB/conn, errors ${JSON.stringify(errors)}`);
  if (r.nmtPerConnKB) say(`  ${srv.kind} idle NMT KiB/conn: ${JSON.stringify(r.nmtPerConnKB)}`);
  await sleep(1500); // let the server finish closing sockets
  return r;
}


/**
 * Slow consumers (issue 22): per phase ([users, paused]: 1 user without paused sockets as the
 * reference, then 1 and 5 users with 19), each user with `paused` sockets that stop reading and one sender of near-maximum packets (90 notes of 10,000 characters) in a closed
 * loop, plus a bystander user sending a small packet every 200 ms, for durationMs. Server RSS is
 * sampled every 250 ms; a phase stops early when it grew by rssCapMB.
 */
async function slowRun(srv, db, cfg) {
  const phases = [];
  for (const [users, pausedPerUser] of cfg.phases) {
    const rssBefore = srvStat(srv).rss;
    let peak = rssBefore;
    let cappedAtS = null;
    const t0 = Date.now();
    let gen;
    const sampler = setInterval(() => {
      const rss = srvStat(srv).rss;
      peak = Math.max(peak, rss);
      if (cappedAtS == null && rss - rssBefore > cfg.rssCapMB * 1048576) {
        cappedAtS = Math.round((Date.now() - t0) / 100) / 10;
        say(`  ${srv.kind}: RSS grew by more than ${cfg.rssCapMB} MB; stopping this phase`);
        gen?.child.stdin.write('stop\n');
      }
    }, 250);
    const before = srvStat(srv);
    gen = generator({ mode: 'slow', tag: `slow${users}x${pausedPerUser}-${srv.kind}`, userPrefix: `slow${users}x${pausedPerUser}`,
      url: srv.url, urls: srv.urls, secret, users, pausedPerUser, durationMs: cfg.durationMs, senderNotes: 90, senderNoteChars: 10000,
      bystanderPeriodMs: 200, metricsToken: isNotesync(srv.kind) ? metricsToken : null, drainMs: 15000 });
    let lines;
    try {
      lines = await gen.done;
    } finally {
      clearInterval(sampler);
    }
    const end = srvStat(srv);
    const r = lines.find((l) => l.type === 'stepEnd')?.result;
    r.server = { rssBeforeMB: MB(rssBefore), rssPeakMB: MB(peak), rssGrowthMB: MB(peak - rssBefore), rssEndMB: MB(end.rss),
      cpuPercent: cpuPct(before, end), stoppedAtRssCapAfterS: cappedAtS };
    say(`  ${srv.kind} slow ${users} x ${pausedPerUser} paused: RSS +${r.server.rssGrowthMB} MB (peak ${r.server.rssPeakMB}), all paused cut off after ${r.allCutOffMs ?? '-'} ms,` +
      ` sender ${r.sender.confirmed} confirmed (${r.sender.confirmedPerSec}/s, ${r.sender.failed} failed), bystander ack p50 ${r.bystander.ack.p50}` +
      ` p99 ${r.bystander.ack.p99} ms (${r.bystander.confirmed} ok, ${r.bystander.failed} failed), errors ${JSON.stringify(r.errors)}`);
    phases.push(r);
    await sleep(3000); // let the server close what the phase left
  }
  return phases;
}

/**
 * Reconnect storm (issue 22): `sockets` WebSockets, socketsPerUser per user, over `processes`
 * generators (the open-file limit is per process); once all are connected, every TCP connection is
 * destroyed at once and socket.io-client reconnects each with its default backoff. Time until the
 * last is back, errors, each socket's next packet, and the server's peak RSS and CPU meanwhile.
 */
async function stormRun(srv, db, cfg) {
  const per = Math.ceil(cfg.sockets / cfg.processes);
  const gens = [];
  const held = [];
  const allHeld = new Promise((res) => {
    for (let i = 0; i < cfg.processes; i++) {
      const n = Math.min(per, cfg.sockets - i * per);
      gens.push(generator({ mode: 'storm', tag: `storm${i}-${srv.kind}`, userPrefix: `storm${i}`, url: srv.url, urls: srv.urls, secret,
        users: Math.ceil(n / cfg.socketsPerUser), socketsPerUser: cfg.socketsPerUser, connectConcurrency: 200, connectTimeoutMs: 20000,
        holdMaxMs: 600_000, stormDeadlineMs: 180_000, drainMs: 60_000 }, (m) => {
        if (m.type === 'held') { held.push(m); if (held.length === cfg.processes) res(); }
      }));
    }
  });
  await allHeld;
  await sleep(2000);
  const rssBefore = srvStat(srv).rss;
  let peak = rssBefore;
  const sampler = setInterval(() => { peak = Math.max(peak, srvStat(srv).rss); }, 250);
  const before = srvStat(srv);
  for (const g of gens) g.child.stdin.write('drop\n');
  let lines;
  try {
    lines = await Promise.all(gens.map((g) => g.done));
  } finally {
    clearInterval(sampler);
  }
  const end = srvStat(srv);
  const steps = lines.map((ls) => ls.find((l) => l.type === 'stepEnd')?.result).filter(Boolean);
  const errors = {};
  for (const s of steps) for (const [k, v] of Object.entries(s.errors)) errors[k] = (errors[k] ?? 0) + v;
  const r = { label: 'storm', sockets: cfg.sockets, connectedBefore: held.reduce((a, h) => a + h.connected, 0),
    back: steps.reduce((a, s) => a + s.back, 0), backAllMs: Math.max(...steps.map((s) => s.backAllMs ?? Infinity)),
    backP50Ms: Math.round(Math.max(...steps.map((s) => s.backMs.p50 ?? 0))),
    sent: steps.reduce((a, s) => a + s.sent, 0), confirmed: steps.reduce((a, s) => a + s.confirmed, 0), errors,
    server: { rssBeforeMB: MB(rssBefore), rssPeakMB: MB(peak), cpuPercent: cpuPct(before, end) },
    generator: { cpuPercent: Math.round(steps.reduce((a, s) => a + s.generator.cpuPercent, 0) * 10) / 10, processes: cfg.processes } };
  say(`  ${srv.kind} storm: ${r.back}/${r.sockets} back, the last after ${r.backAllMs} ms; next packets ${r.confirmed}/${r.sent} confirmed;` +
    ` RSS ${r.server.rssBeforeMB} -> peak ${r.server.rssPeakMB} MB, CPU ${r.server.cpuPercent}%, errors ${JSON.stringify(errors)}`);
  await sleep(3000);
  return r;
}

// ---- main -------------------------------------------------------------------------------------
async function main() {
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build it with mvn -o -q -pl server -am package -DskipTests`);
  const deadline = setTimeout(() => { say('hard deadline reached, stopping'); cleanup(); process.exit(4); }, HARD_DEADLINE - Date.now());
  deadline.unref();
  const meta = { date: new Date().toISOString(), quick, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
    memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    java: spawnSync('java', ['-version']).stderr.toString().split('\n')[0], openFileLimit: Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim()),
    jvmOpts, params: P, git: tryGit(), loadavgAtStart: loadavg() };
  say(`results in ${outDir}`);
  const db = await startDb();
  say(`database server at ${db.uri}`);
  const redis = clusterKind ? await startRedis() : null;
  if (redis) { say(`redis at ${redis.uri} (${redis.bin})`); meta.nodes = nodes; meta.redis = redis.bin; }
  const srv = {};
  for (const kind of servers) srv[kind] = await startServer(kind, db.uri, redis);
  say(`servers: ${servers.map((k) => `${k} ${srv[k].urls.join(' ')}`).join(', ')}`);
  for (const kind of servers) srv[kind].rssStartMB = MB(srvStat(srv[kind]).rss);

  const results = Object.fromEntries(servers.map((k) => [k, {}]));
  let storeCeiling = null;
  for (const scenario of only) {
    if (scenario === 'steady') {
      // The store's own ceiling for notesync's document shape and batch size, on the same database server.
      say('store ceiling: insertMany straight to the database server');
      storeCeiling = await measureStoreCeiling(db.uri);
      say(`  store ceiling: ${JSON.stringify(storeCeiling)}`);
      // Every server's closed-loop maximum first, then every ladder with steps at half of notesync's
      // maximum and half of the single baseline's (the issue's "half load"), so all get the same rates.
      const maxes = {};
      for (const kind of servers) {
        // A JIT (the JVM's as V8's) compiles the packet path during the first seconds of load; an
        // unmeasured closed loop first, so the maximum is the server's and not its compiler's.
        say(`steady (warm-up, not measured) against ${kind}`);
        await steppedRun(srv[kind], db, { mode: 'steady', tag: `steady-${kind}-warmup`, ...P.steady, rates: [], maxDurationMs: P.steady.warmupMs });
        say(`steady (closed loop) against ${kind}`);
        const cfg = { mode: 'steady', tag: `steady-${kind}`, ...P.steady, rates: [] };
        maxes[kind] = await steppedRun(srv[kind], db, { ...cfg, tag: `${cfg.tag}-max` });
      }
      const maxOf = (k) => maxes[k]?.steps[0]?.confirmedPerSec ?? null;
      const halfOf = (k) => (maxOf(k) ? Math.round(maxOf(k) / 2) : null);
      const halfN = halfOf('notesync'), halfB = halfOf('baseline');
      const halves = [...new Set([halfN, halfB].filter(Boolean))];
      for (const kind of servers) {
        say(`steady (open-loop ladder) against ${kind}`);
        const rates = [...new Set([...P.steady.rates, ...halves])].sort((a, b) => a - b);
        const ladder = await steppedRun(srv[kind], db, { mode: 'steady', tag: `steady-${kind}-ladder`, ...P.steady,
          maxWindow: 0, rates, alwaysRates: halves });
        ladder.steps.sort((a, b) => a.offeredPerSec - b.offeredPerSec);
        results[kind].steady = { connect: maxes[kind].connect, halfOfNotesyncMax: halfN, halfOfBaselineMax: halfB,
          steps: [...maxes[kind].steps, ...ladder.steps] };
      }
      // One step per server is one sample of a tail the shared database server dominates (its stalls
      // reach every server alike, at any rate): the half-load target is judged on interleaved rounds
      // (every server once per round, in turn) and the median of each server's rounds.
      for (let round = 1; halfB && round <= P.steady.halfLoadRounds; round++) {
        for (const kind of servers) {
          say(`steady (half load, round ${round} of ${P.steady.halfLoadRounds}) against ${kind}`);
          const one = await steppedRun(srv[kind], db, { mode: 'steady', tag: `steady-${kind}-half${round}`, ...P.steady,
            maxWindow: 0, rates: [halfB], alwaysRates: [halfB] });
          results[kind].steady.halfLoadRounds = [...(results[kind].steady.halfLoadRounds ?? []), ...one.steps];
        }
      }
      continue;
    }
    for (const kind of servers) {
      const s = srv[kind];
      say(`${scenario} against ${kind}`);
      if (scenario === 'burst') {
        const r = await steppedRun(s, db, { mode: 'burst', tag: `burst-${kind}`, ...P.burst, drainMs: 30000, connectTimeoutMs: 30000 });
        results[kind].burst = r.steps[0];
      } else if (scenario === 'idle') {
        results[kind].idle = await idleRun(s, db, P.idle);
      } else if (scenario === 'fanout') {
        results[kind].fanout = await steppedRun(s, db, { mode: 'fanout', tag: `fanout-${kind}`, ...P.fanout });
      } else if (scenario === 'slow') {
        results[kind].slow = await slowRun(s, db, P.slow);
      } else if (scenario === 'storm') {
        results[kind].storm = await stormRun(s, db, P.storm);
      }
    }
  }
  for (const kind of servers) srv[kind].rssEndMB = MB(srvStat(srv[kind]).rss);
  for (const kind of servers) for (const pid of srv[kind].nodePids) await stop(children.find((c) => c.pid === pid));
  if (redis) await stop(redis.child);
  await stop(db.child);

  meta.loadavgAtEnd = loadavg();
  const report = { meta, servers: Object.fromEntries(servers.map((k) => [k, { rssStartMB: srv[k].rssStartMB, rssEndMB: srv[k].rssEndMB }])),
    results, storeCeiling, ratios: ratios(results), targets: targets(results, storeCeiling) };
  if (clusterKind) report.nodeRatios = nodeRatios(results);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(outDir, 'chart.html'), renderHtml(report));
  printTables(report);
  console.log(`\nwrote ${join(outDir, 'results.json')} and ${join(outDir, 'chart.html')}`);
}

/**
 * What the database server takes without notesync in front of it: sequential unordered insertMany
 * calls (one in flight, as writer.inFlightBatches 1) of notesync's document shape (one document
 * per packet, 3 notes), in batches of writer.maxBatchPackets (64: what the writer sends when
 * packets queue, as in the closed loop) and of 1 (an idle writer), through the Node driver.
 */
async function measureStoreCeiling(uri) {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(`${uri}/`, { appName: 'store-ceiling' });
  await client.connect();
  const coll = client.db('bench_ceiling').collection('packets');
  const run = randomBytes(4).toString('hex');
  let seq = 0;
  const doc = () => {
    const now = new Date();
    const n = seq++;
    return { _id: `ceiling-user/${run}-${n}`, user: 'ceiling-user', videoKey: 'youtube:dQw4w9WgXcQ',
      videoUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', storedAt: now,
      notes: [0, 1, 2].map((i) => ({ id: randomBytes(12).toString('hex'), text: 'the chorus starts here', timestamp: n + i + 0.5, createdAt: now })) };
  };
  const out = {};
  // Unmeasured first: the database server's JIT warms up as notesync's does (see the warm-up loops).
  const warmUntil = Date.now() + (quick ? 1000 : 4000);
  while (Date.now() < warmUntil) await coll.insertMany(Array.from({ length: 64 }, doc), { ordered: false });
  for (const [batch, ms] of [[64, quick ? 1500 : 6000], [1, quick ? 1000 : 3000]]) {
    const t0 = Date.now();
    let packets = 0;
    while (Date.now() - t0 < ms) {
      await coll.insertMany(Array.from({ length: batch }, doc), { ordered: false });
      packets += batch;
    }
    out[`batch${batch}PacketsPerSec`] = Math.round(packets / ((Date.now() - t0) / 1000));
  }
  await client.close();
  return out;
}

function tryGit() { try { return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD']).toString().trim(); } catch { return null; } }

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const ratio = (a, b) => (num(a) != null && num(b) ? Math.round((a / b) * 100) / 100 : null);
function bestUnder(steps, ms) {
  const ok = (steps ?? []).filter((s) => s.offeredPerSec && s.confirmation.p99 != null && s.confirmation.p99 <= ms &&
    s.confirmed >= 0.9 * (s.sent + s.skipped));
  return ok.length ? Math.max(...ok.map((s) => s.confirmedPerSec)) : null;
}
/** notesync against each Node anchor: above 1 means more (throughput) or slower/bigger (latency, memory). */
function ratios(r) {
  return Object.fromEntries(BASELINES.filter((k) => r[k]).map((k) => [k, ratiosVs(r.notesync ?? {}, r[k])]));
}
function ratiosVs(n, b) {
  const nMax = n.steady?.steps.find((s) => s.label === 'max'), bMax = b.steady?.steps.find((s) => s.label === 'max');
  const at = (x, rate) => x?.steady?.steps.find((s) => s.offeredPerSec === rate);
  const halfN = n.steady?.halfOfNotesyncMax, halfB = n.steady?.halfOfBaselineMax;
  const roundsOf = (x) => { const h = halfLoadLatency(x); return h?.rounds ? h : null; };
  const nRounds = roundsOf(n), bRounds = roundsOf(b);
  return {
    maxConfirmedPerSec: ratio(nMax?.confirmedPerSec, bMax?.confirmedPerSec),
    sustainedUnder50msP99: ratio(bestUnder(n.steady?.steps, 50), bestUnder(b.steady?.steps, 50)),
    p50AtHalfOfBaselineMax: ratio(at(n, halfB)?.confirmation.p50, at(b, halfB)?.confirmation.p50),
    p99AtHalfOfBaselineMax: ratio(at(n, halfB)?.confirmation.p99, at(b, halfB)?.confirmation.p99),
    p99AtHalfOfNotesyncMax: ratio(at(n, halfN)?.confirmation.p99, at(b, halfN)?.confirmation.p99),
    p50AtHalfOfBaselineMaxRoundsMedian: ratio(nRounds?.p50, bRounds?.p50),
    p99AtHalfOfBaselineMaxRoundsMedian: ratio(nRounds?.p99, bRounds?.p99),
    serverCpuPerPacketAtMax: ratio(nMax && nMax.server.cpuPercent / nMax.confirmedPerSec, bMax && bMax.server.cpuPercent / bMax.confirmedPerSec),
    burstAllAnsweredMs: ratio(n.burst?.allAnsweredMs, b.burst?.allAnsweredMs),
    burstConfirmationP99: ratio(n.burst?.confirmation.p99, b.burst?.confirmation.p99),
    idleRssPerConn: ratio(n.idle?.server.rssPerConnKB, b.idle?.server.rssPerConnKB),
    idleHeapPerConn: ratio(n.idle?.server.heapPerConnKB, b.idle?.server.heapPerConnKB),
    fanoutFPacketP99: ratio(n.fanout?.steps.at(-1)?.fPacket.p99, b.fanout?.steps.at(-1)?.fPacket.p99),
    fanoutMaxConfirmedPerSec: ratio(n.fanout?.steps.find((s) => s.label === 'max')?.confirmedPerSec,
      b.fanout?.steps.find((s) => s.label === 'max')?.confirmedPerSec),
  };
}
/** The N-node cluster against the single node: above 1 means more (throughput) or slower (latency, CPU). */
function nodeRatios(r) {
  const one = r.notesync ?? {}, many = r[clusterKind] ?? {};
  const max = (x, sc) => x[sc]?.steps.find((s) => s.label === 'max');
  const cpuPerPkt = (s) => s && s.server.cpuPercent / s.confirmedPerSec;
  return {
    steadyMaxConfirmedPerSec: ratio(max(many, 'steady')?.confirmedPerSec, max(one, 'steady')?.confirmedPerSec),
    steadySustainedUnder50msP99: ratio(bestUnder(many.steady?.steps, 50), bestUnder(one.steady?.steps, 50)),
    steadyServerCpuPerPacketAtMax: ratio(cpuPerPkt(max(many, 'steady')), cpuPerPkt(max(one, 'steady'))),
    steadyFPacketP99AtMax: ratio(max(many, 'steady')?.fPacket.p99, max(one, 'steady')?.fPacket.p99),
    fanoutMaxConfirmedPerSec: ratio(max(many, 'fanout')?.confirmedPerSec, max(one, 'fanout')?.confirmedPerSec),
    fanoutFPacketP99: ratio(many.fanout?.steps.at(-1)?.fPacket.p99, one.fanout?.steps.at(-1)?.fPacket.p99),
    burstAllAnsweredMs: ratio(many.burst?.allAnsweredMs, one.burst?.allAnsweredMs),
  };
}
const median = (xs) => {
  const v = xs.filter((x) => num(x) != null).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : Math.round(((v[v.length / 2 - 1] + v[v.length / 2]) / 2) * 100) / 100) : null;
};
/** p50 and p99 emit→confirmation at half of the baseline's maximum: the median over the interleaved rounds, else the ladder's step. */
function halfLoadLatency(x) {
  const rounds = x?.steady?.halfLoadRounds;
  if (rounds?.length) return { p50: median(rounds.map((s) => s.confirmation.p50)), p99: median(rounds.map((s) => s.confirmation.p99)), rounds: rounds.length };
  const step = x?.steady?.steps.find((s) => s.offeredPerSec === x.steady.halfOfBaselineMax);
  return step ? { p50: step.confirmation.p50, p99: step.confirmation.p99, rounds: 0 } : null;
}

/** Issue 16's bar, against the single-process baseline. */
function targets(r, ceiling) {
  const n = r.notesync ?? {}, b = r.baseline ?? {};
  const halfB = n.steady?.halfOfBaselineMax;
  const nMax = n.steady?.steps.find((s) => s.label === 'max')?.confirmedPerSec;
  const rq = ratios(r).baseline?.maxConfirmedPerSec ?? null;
  const ln = halfLoadLatency(n), lb = halfLoadLatency(b);
  return {
    idleRssAtMost8KiBPerSocket: { held: n.idle?.connectionsHeld ?? null, rssPerConnKB: n.idle?.server.rssPerConnKB ?? null,
      met: n.idle ? n.idle.server.rssPerConnKB <= 8 && n.idle.connectionsHeld >= 0.95 * n.idle.attempted : null },
    halfLoadLatencyAtMostBaseline: { rate: halfB, notesync: ln, baseline: lb,
      met: ln && lb ? ln.p50 <= lb.p50 && ln.p99 <= lb.p99 : null },
    closedLoopAtLeast3_5xBaseline: { measured: rq, met: rq != null ? rq >= 3.5 : null },
    storeCeiling: { notesyncMax: nMax ?? null, ...(ceiling ?? {}),
      fractionOfBatch64: ceiling && nMax ? Math.round((nMax / ceiling.batch64PacketsPerSec) * 100) / 100 : null, met: null },
  };
}

function table(title, header, rows) {
  const cells = [header, ...rows].map((r) => r.map((c) => (c == null ? '-' : String(c))));
  const w = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  console.log(`\n${title}`);
  cells.forEach((r, k) => {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
    if (k === 0) console.log(w.map((x) => '-'.repeat(x)).join('  '));
  });
}
const errs = (e) => Object.entries(e ?? {}).map(([k, v]) => `${k}=${v}`).join(' ') || '0';

function printTables(rep) {
  const H = ['server / step', 'offered/s', 'conf pkt/s', 'notes/s', 'conf p50', 'p90', 'p99', 'max', 'fPkt p50', 'p99', 'max',
    'held', 'srv CPU%', 'db CPU%', 'gen CPU%', 'others CPU%', 'gen lag p99', 'srv RSS MB', 'errors'];
  const row = (kind, s) => [`${kind} ${s.label}`, s.offeredPerSec ?? (s.window ? `win ${s.window}` : '-'), s.confirmedPerSec, s.notesPerSec,
    s.confirmation.p50, s.confirmation.p90, s.confirmation.p99, s.confirmation.max, s.fPacket.p50, s.fPacket.p99, s.fPacket.max,
    s.connectionsHeld, s.server?.cpuPercent, s.db?.cpuPercent, s.generator?.cpuPercent, s.machine?.othersCpuPercent, s.generator?.loopDelayP99Ms, s.server?.rssMB, errs(s.errors)];
  const R = rep.results;
  console.log(`\nload average at start ${rep.meta.loadavgAtStart.join(' ')}, at end ${rep.meta.loadavgAtEnd.join(' ')} ` +
    `(${rep.meta.cpus} CPUs; "others CPU%" is what processes not started by this run took during a step, 100 = one core)`);
  for (const sc of ['steady', 'fanout']) {
    const rows = [];
    for (const kind of Object.keys(R)) for (const s of R[kind][sc]?.steps ?? []) rows.push(row(kind, s));
    if (rows.length) table(`${sc} (latencies in ms, emit -> confirmation / emit -> fPacket)`, H, rows);
  }
  const withRounds = Object.keys(R).filter((k) => R[k].steady?.halfLoadRounds?.length);
  if (withRounds.length) {
    const rounds = R[withRounds[0]].steady.halfLoadRounds.length;
    table(`half load: ${R[withRounds[0]].steady.halfOfBaselineMax}/s, ${rounds} interleaved rounds, emit -> confirmation p50 / p99 ms`,
      ['server', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`), 'median p50 / p99'],
      withRounds.map((k) => {
        const medians = halfLoadLatency(R[k]);
        return [k, ...R[k].steady.halfLoadRounds.map((s) => `${s.confirmation.p50} / ${s.confirmation.p99}`), `${medians.p50} / ${medians.p99}`];
      }));
  }
  const bursts = Object.keys(R).filter((k) => R[k].burst).map((k) => {
    const b = R[k].burst;
    return [k, b.burstSockets, b.connected, b.connectMs.p50, b.connectMs.p99, b.allConnectedMs, b.confirmed, b.allAnsweredMs,
      b.confirmation.p50, b.confirmation.p99, b.confirmation.max, b.fPacket.n, b.fPacket.p99, b.server.cpuPercent, b.generator.cpuPercent, errs(b.errors)];
  });
  if (bursts.length) table('burst (ms)', ['server', 'sockets', 'connected', 'conn p50', 'conn p99', 'all conn', 'confirmed',
    'all answered', 'conf p50', 'p99', 'max', 'fPkts', 'fPkt p99', 'srv CPU%', 'gen CPU%', 'errors'], bursts);
  const idles = Object.keys(R).filter((k) => R[k].idle).map((k) => {
    const i = R[k].idle;
    return [k, i.attempted, i.connectedAtPeak, i.connectionsHeld, i.connectWallMs, i.server.rssBeforeMB, i.server.rssMB,
      i.server.rssPerConnKB, i.server.heapMB, i.server.heapPerConnKB, i.server.nativePerConnKB, i.server.rssFor20kMB, i.server.idleCpuPercent, i.generator.cpuPercent, errs(i.errors)];
  });
  if (idles.length) table('idle', ['server', 'attempted', 'peak', `held after ${rep.meta.params.idle.holdMs / 1000}s`, 'connect ms',
    'RSS before MB', 'RSS MB', 'RSS/conn KiB', 'heap MB', 'heap/conn KiB', 'native/conn KiB', 'RSS@20k MB', 'idle CPU%', 'gen CPU%', 'errors'], idles);
  for (const k of Object.keys(R)) {
    const i = R[k].idle;
    if (i?.nmtPerConnKB) table(`${k} idle: native memory (NMT committed) per socket, KiB`, ['category', 'KiB/socket'], Object.entries(i.nmtPerConnKB));
    if (i?.topClassesPerConn) table(`${k} idle: class histogram growth per socket (after - before the connections)`,
      ['class', 'bytes/socket', 'instances/socket'], i.topClassesPerConn.slice(0, 15).map((c) => [c.class, c.bytesPerSocket, c.instancesPerSocket]));
  }
  const slows = Object.keys(R).flatMap((k) => (R[k].slow ?? []).map((p) => [`${k} ${p.users} user${p.users > 1 ? 's' : ''} x ${p.pausedSockets / p.users} paused`,
    p.pausedSockets, p.durationS, p.server.rssBeforeMB, p.server.rssPeakMB, p.server.rssGrowthMB, p.server.stoppedAtRssCapAfterS,
    p.firstCutOffMs, p.allCutOffMs, p.sender.confirmed, p.sender.confirmedPerSec, p.sender.failed, p.sender.confirmation.p50,
    p.bystander.confirmed, p.bystander.failed, p.bystander.ack.p50, p.bystander.ack.p99, p.bystander.ack.max, p.server.cpuPercent, errs(p.errors)]));
  if (slows.length) table('slow consumers: paused sockets and a max-size sender per user, a bystander user every 200 ms (ms unless said)',
    ['server / users x paused per user', 'paused', 's', 'RSS before MB', 'peak MB', 'growth MB', 'stopped at cap (s)', 'first cut', 'all cut',
      'sender conf', 'conf/s', 'failed', 'conf p50', 'bystander ok', 'failed', 'ack p50', 'p99', 'max', 'srv CPU%', 'errors'], slows);
  const storms = Object.keys(R).filter((k) => R[k].storm).map((k) => {
    const t = R[k].storm;
    return [k, t.sockets, t.connectedBefore, t.back, t.backP50Ms, t.backAllMs, t.confirmed, t.sent, t.server.rssBeforeMB, t.server.rssPeakMB,
      t.server.cpuPercent, t.generator.cpuPercent, errs(t.errors)];
  });
  if (storms.length) table('reconnect storm: every connection dropped at once, socket.io-client default backoff (ms)',
    ['server', 'sockets', 'before', 'back', 'back p50 (worst process)', 'last back', 'next pkt conf', 'sent', 'RSS before MB', 'peak MB',
      'srv CPU%', 'gen CPU%', 'errors'], storms);
  if (rep.storeCeiling) table('store ceiling (insertMany straight to the database server, packets/s)', ['batch', 'packets/s'], Object.entries(rep.storeCeiling));
  if (rep.nodeRatios) table(`notesync ${rep.meta.nodes} nodes / 1 node ratios`, ['ratio', 'value'], Object.entries(rep.nodeRatios));
  const anchors = Object.keys(rep.ratios);
  if (anchors.length) table('notesync / Node anchor ratios', ['ratio', ...anchors],
    Object.keys(rep.ratios[anchors[0]]).map((k) => [k, ...anchors.map((a) => rep.ratios[a][k])]));
  table('targets', ['target', 'measured', 'met'], Object.entries(rep.targets).map(([k, v]) =>
    [k, JSON.stringify(Object.fromEntries(Object.entries(v).filter(([x]) => x !== 'met'))), v.met]));
}

main().catch((e) => { console.error(e); cleanup(); process.exitCode = 1; }).finally(() => setTimeout(() => process.exit(), 500).unref());
