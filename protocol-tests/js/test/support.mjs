// Helpers for the notesync protocol suite: JWT minting, Socket.IO clients that record every
// event they receive, packet builders and a small HTTP client. No test lives here.
//
// Environment (set by JsClientTest):
//   NOTESYNC_URL              the default server (auth.token or Authorization header; no query token)
//   NOTESYNC_QUERY_TOKEN_URL  a server with socketio.allowQueryToken=true
//   NOTESYNC_JWT_SECRET       the HS256 secret both servers verify with

import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { io } from 'socket.io-client';

/**
 * An address the Java harness set. Run alone (`npm test`), nothing is listening for these tests:
 * fail at once, naming the variable and how to run them, rather than talk to whatever holds a port.
 */
export function harnessVariable(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests talk to servers that JsClientTest starts. Run them through Maven, `
      + 'e.g. NOTESYNC_JS_TESTS=packets.test.mjs mvn -B -q -pl server,protocol-tests verify -Dtest=JsClientTest '
      + '-Dsurefire.failIfNoSpecifiedTests=false (protocol-tests/README.md)');
  }
  return value;
}

export const URL = harnessVariable('NOTESYNC_URL');
export const QUERY_TOKEN_URL = process.env.NOTESYNC_QUERY_TOKEN_URL;
/**
 * A server with the built-in limits (10,000 characters per note, 100 notes per packet). The one
 * at NOTESYNC_URL may run with raised limits for other suites (JsClientTest raises maxNoteChars
 * for upgrade-conformance.test.mjs); the query-token server differs from the defaults only in
 * socketio.allowQueryToken.
 */
export const DEFAULT_LIMITS_URL = QUERY_TOKEN_URL ?? URL;
export const SECRET = harnessVariable('NOTESYNC_JWT_SECRET');

/** How long any single wait may take before the test fails. */
export const TIMEOUT = 5000;
/** How long to keep listening when checking that something does NOT arrive. */
export const QUIET = 400;

/** The three transport setups a client may use (docs/protocol.md, "Transport"). */
export const TRANSPORTS = [
  { name: 'default transports (polling, then upgrade to WebSocket)', options: {} },
  { name: "transports: ['websocket']", options: { transports: ['websocket'] } },
  { name: "transports: ['polling']", options: { transports: ['polling'] } },
];

export const ANSWER_EVENTS = ['confirmation', 'packetError', 'invalidToken'];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The next `event` of any emitter (an Engine.IO socket, a Manager, a Node stream): resolves with
 * its argument, or rejects after `timeout` ms.
 */
export function waitFor(emitter, event, timeout = TIMEOUT) {
  return new Promise((resolve, reject) => {
    const listener = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no ${event} within ${timeout} ms`));
    }, timeout);
    emitter.once(event, listener);
  });
}

/** A name nobody else in this run uses: usernames, packetIds, video paths. */
export function unique(prefix = 'x') {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export const newUser = () => unique('user');
export const newPacketId = () => `p-${randomUUID()}`;

/** createdAt as the contract shows it: ISO-8601 UTC with exactly three fraction digits. */
export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ---------------------------------------------------------------------------------------------
// JWTs

export function base64url(value) {
  const buffer = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return buffer.toString('base64url');
}

const HMAC = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

export function sign(signingInput, alg = 'HS256', secret = SECRET) {
  if (alg === 'none') {
    return '';
  }
  const hash = HMAC[alg];
  if (!hash) {
    throw new Error(`cannot sign with ${alg}`);
  }
  return createHmac(hash, secret).update(signingInput).digest('base64url');
}

/**
 * A compact JWS. By default: HS256 with the test secret, `username` claim, valid for 15 minutes.
 *
 * @param {object} o
 * @param {string} [o.username]   the `username` claim (omitted when undefined)
 * @param {object} [o.claims]     extra or overriding claims; a claim set to undefined is dropped
 * @param {object} [o.header]     extra or overriding header fields
 * @param {string} [o.alg]        header alg, and the algorithm to sign with ('none' signs with nothing)
 * @param {string} [o.secret]     HMAC secret
 * @param {number} [o.expiresIn]  seconds from now until exp (negative: already expired)
 * @param {string} [o.signature]  a signature segment to use instead of the computed one
 * @param {string} [o.rawHeader]  the header segment verbatim (already base64url), e.g. not JSON
 * @param {string} [o.rawPayload] the payload segment verbatim (already base64url)
 */
export function mintToken({
  username,
  claims = {},
  header = {},
  alg = 'HS256',
  secret = SECRET,
  expiresIn = 900,
  signature,
  rawHeader,
  rawPayload,
} = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iat: now, exp: now + expiresIn, ...(username === undefined ? {} : { username }), ...claims };
  const headerSegment = rawHeader ?? base64url({ alg, typ: 'JWT', ...header });
  const payloadSegment = rawPayload ?? base64url(payload);
  const signingInput = `${headerSegment}.${payloadSegment}`;
  return `${signingInput}.${signature ?? sign(signingInput, alg, secret)}`;
}

/** A valid access token for `username` (15 minutes unless told otherwise). */
export function tokenFor(username, options = {}) {
  return mintToken({ username, ...options });
}

/** A token for `username` whose exp passed a minute ago. */
export function expiredTokenFor(username) {
  return mintToken({ username, expiresIn: -60, claims: { iat: Math.floor(Date.now() / 1000) - 960 } });
}

// ---------------------------------------------------------------------------------------------
// Socket.IO clients

const openClients = new Set();

/**
 * A socket.io-client socket that records every event it receives (including connect,
 * disconnect and connect_error), so that tests can wait for an event, or check afterwards that
 * one never came.
 */
export class Client {
  constructor(socket, label) {
    this.socket = socket;
    this.label = label;
    this.events = [];
    this.waiters = new Set();
    socket.onAny((event, ...args) => this.#record(event, args));
    for (const reserved of ['connect', 'disconnect', 'connect_error']) {
      socket.on(reserved, (...args) => this.#record(reserved, args));
    }
    // The Engine.IO session id, which the server logs: for matching a failure to the server's log.
    socket.io.on('open', () => {
      this.sid = socket.io.engine?.id;
    });
    openClients.add(this);
  }

  #record(event, args) {
    this.events.push({ event, args, data: args[0], at: Date.now(), consumed: false });
    for (const waiter of [...this.waiters]) {
      waiter();
    }
  }

  /** Names of the events received so far, in order. */
  names() {
    return this.events.map((e) => e.event);
  }

  /** Every recorded event called `name`. */
  received(name) {
    return this.events.filter((e) => e.event === name);
  }

  /**
   * The first not-yet-consumed event among `names` for which `where(data, entry)` holds; waits
   * for it up to `timeout` ms, then fails with what was received instead.
   */
  waitFor(names, { where = () => true, timeout = TIMEOUT } = {}) {
    const wanted = Array.isArray(names) ? names : [names];
    const find = () => this.events.find((e) => !e.consumed && wanted.includes(e.event) && where(e.data, e));
    return new Promise((resolve, reject) => {
      let timer;
      const check = () => {
        const entry = find();
        if (entry) {
          entry.consumed = true;
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(entry);
        }
      };
      timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.label}: no ${wanted.join(' or ')} within ${timeout} ms; received: ${this.describe()}`));
      }, timeout);
      this.waiters.add(check);
      check();
    });
  }

  /** The data of the next `name` event. */
  async next(name, options) {
    return (await this.waitFor(name, options)).data;
  }

  /** The answer (confirmation, packetError or invalidToken) that carries `packetId`. */
  answerTo(packetId, options = {}) {
    return this.waitFor(ANSWER_EVENTS, { ...options, where: (data) => data?.packetId === packetId });
  }

  /** The next answer, whatever it carries (for packets whose packetId is missing or invalid). */
  nextAnswer(options = {}) {
    return this.waitFor(ANSWER_EVENTS, options);
  }

  /** Emits `packet` and returns its answer `{ event, data }`, matched by packetId. */
  async send(packet) {
    this.socket.emit('packet', packet);
    return this.answerTo(packet.packetId);
  }

  /** Emits `packet` (any payload) and returns the next answer, whatever its packetId. */
  async sendRaw(payload) {
    this.socket.emit('packet', payload);
    return this.nextAnswer();
  }

  /** Emits `packet` with an acknowledgement callback and returns what the ack received. */
  sendWithAck(packet, timeout = TIMEOUT) {
    return this.socket.timeout(timeout).emitWithAck('packet', packet);
  }

  /** Sends a packet and fails unless it is confirmed; returns the confirmation. */
  async store(packet) {
    const answer = await this.send(packet);
    if (answer.event !== 'confirmation') {
      throw new Error(`${this.label}: packet ${packet.packetId} got ${answer.event} ${JSON.stringify(answer.data)}`);
    }
    return answer.data;
  }

  /** Waits `ms` and returns the `name` events that arrived meanwhile (and before). */
  async quietly(name, ms = QUIET) {
    await sleep(ms);
    return this.received(name);
  }

  /** The current Engine.IO transport: "polling" or "websocket". */
  transport() {
    return this.socket.io.engine?.transport?.name;
  }

  describe() {
    return `(sid ${this.sid}) ${JSON.stringify(this.events.map((e) => [e.event, ...e.args]))}`;
  }

  close() {
    openClients.delete(this);
    this.socket.off();
    this.socket.offAny();
    this.socket.close();
  }
}

/** Closes every client opened so far; call it in afterEach. */
export function closeAll() {
  for (const client of [...openClients]) {
    client.close();
  }
}

/**
 * Opens a socket without waiting. `auth`, `transports`, `extraHeaders`, `query`, ... are passed
 * to io(); reconnection is off so that a refused socket stays refused.
 *
 * autoUnref: a closed polling client leaves its pending long-poll GET open until the server
 * answers it; that is checked by its own test (transports.test.mjs), and must not keep every
 * test file's process alive.
 */
export function open({ url = URL, label = 'socket', ...options } = {}) {
  // autoUnref: a socket the server disconnects over polling can leave a long-poll GET that the
  // server never answers (netty-socketio keeps it after the session ended); unref'd, it no longer
  // keeps Node, and so `node --test`, running after the last test.
  const socket = io(url, { forceNew: true, reconnection: false, timeout: TIMEOUT, autoUnref: true, ...options });
  return new Client(socket, label);
}

/**
 * Opens a socket and waits for `connect`; fails if `invalidToken`, `connect_error` or
 * `disconnect` comes first.
 */
export async function connect(options = {}) {
  const client = open(options);
  const first = await client.waitFor(['connect', 'invalidToken', 'connect_error', 'disconnect']);
  if (first.event !== 'connect') {
    client.close();
    throw new Error(`${client.label}: expected connect, got ${first.event}: ${client.describe()}`);
  }
  return client;
}

/** A connected socket of `username`, authenticated with auth.token. */
export function connectAs(username, options = {}) {
  return connect({ label: username, auth: { token: tokenFor(username) }, ...options });
}

/**
 * Opens a socket that the server is expected to refuse at connection, and waits for its
 * `invalidToken` and then its `disconnect`. Returns the invalidToken body, the disconnect
 * reason and the client (with every event it received).
 */
export async function refused(options = {}) {
  const client = open({ label: 'refused', ...options });
  const invalid = await client.waitFor(['invalidToken', 'connect_error']);
  if (invalid.event !== 'invalidToken') {
    throw new Error(`expected invalidToken, got ${invalid.event}: ${client.describe()}`);
  }
  const disconnect = await client.waitFor('disconnect');
  return { body: invalid.data, reason: disconnect.data, client };
}

// ---------------------------------------------------------------------------------------------
// Packets

export const VIDEO = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

/** A generic (not YouTube, not Vimeo) video URL of its own. */
export const newVideoUrl = () => `https://videos.example.com/${unique('v')}`;

export const note = (text, timestamp = 1) => ({ text, timestamp });

/** A valid packet: a fresh packetId, `VIDEO`, two notes; any field can be overridden. */
export function packet(overrides = {}) {
  return {
    packetId: newPacketId(),
    videoUrl: VIDEO,
    notes: [note('first note', 1.5), note('second note', 3)],
    ...overrides,
  };
}

/** `packet()` without the named fields. */
export function packetWithout(...fields) {
  const p = packet();
  for (const field of fields) {
    delete p[field];
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * One HTTP request to the server; resolves with { status, headers, body } where body is the
 * parsed JSON (or the raw text when it is not JSON). Connections are not kept alive.
 */
export function request(path, { method = 'GET', token, headers = {}, body, base = URL, timeout = TIMEOUT } = {}) {
  const target = new globalThis.URL(path, base);
  const allHeaders = { Connection: 'close', ...headers };
  if (token !== undefined) {
    allHeaders.Authorization = `Bearer ${token}`;
  }
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  if (payload !== undefined) {
    allHeaders['Content-Type'] ??= 'application/json';
    allHeaders['Content-Length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method, headers: allHeaders, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed, text });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeout} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET /api/notes?videoUrl=...[&since=...] as `username` (or with `token`). */
export function getNotes(videoUrl, { username, token = username && tokenFor(username), since, base } = {}) {
  const query = new URLSearchParams({ videoUrl });
  if (since !== undefined) {
    query.set('since', since);
  }
  return request(`/api/notes?${query}`, { token, base });
}

/** The texts of the notes `username` has for `videoUrl`, as GET /api/notes orders them. */
export async function storedTexts(username, videoUrl, base) {
  const res = await getNotes(videoUrl, { username, base });
  if (res.status !== 200) {
    throw new Error(`GET /api/notes answered ${res.status}: ${res.text}`);
  }
  return res.body.notes.map((n) => n.text);
}

/** True when `body` is the contract's HTTP error body: { error: { code, message } }. */
export function isErrorBody(body) {
  return (
    body !== null &&
    typeof body === 'object' &&
    typeof body.error === 'object' &&
    typeof body.error.code === 'string' &&
    body.error.code.length > 0 &&
    typeof body.error.message === 'string'
  );
}
