// notesync reference client: the extension's side of notesync's wire contract (docs/protocol.md),
// as a plain ES module with no build step. Copy it into an extension or a page.
//
//   import { NotesyncClient } from '/client/notesync-client.js';
//   const client = new NotesyncClient({ url: 'https://notes.example.com', io });   // io from socket.io-client v4
//   client.addEventListener('loginRequired', () => showLogin());
//   client.start(accessToken);
//   client.addNote({ videoUrl: location.href, text: 'the chorus starts here', timestamp: video.currentTime });
//
// What it promises (docs/protocol.md, "What a well-behaved client does"):
// - every note goes into an outbox kept in storage (localStorage by default) until the server
//   confirms its packet (status "stored" or "duplicate"); a page reload or a crash loses nothing;
// - it sends on add and every `flushIntervalMs`, only while connected (socket.io-client would
//   otherwise buffer the emit and send it twice on reconnect), resends everything unconfirmed after
//   each (re)connect and after `answerTimeoutMs` without an answer;
// - `invalidToken` for a packet: POST /refresh (the HttpOnly cookie), then resend with `accessToken`;
//   `invalidToken` at connect: refresh, then reconnect with the new token; /refresh answering 401
//   fires `loginRequired`;
// - `packetError` with `retryable: true` keeps the packet and retries with backoff; with
//   `retryable: false` the packet is dropped and `dropped` fires with the error.
//
// Storage is pluggable: anything with `async load()` returning the saved entries,
// `async put(entry)` and `async remove(packetId)`. Each packet is saved under a key of its own,
// so two tabs (or a tab and a service worker) sharing one store never overwrite each other's
// packets. In an MV3 service worker, where there is no localStorage:
//   const prefix = 'notesync.outbox:';
//   const chromeStorage = {
//     load: async () => Object.entries(await chrome.storage.local.get(null))
//       .filter(([key]) => key.startsWith(prefix)).map(([, entry]) => entry),
//     put: (entry) => chrome.storage.local.set({ [prefix + entry.packet.packetId]: entry }),
//     remove: (packetId) => chrome.storage.local.remove(prefix + packetId),
//   };
//   new NotesyncClient({ url, io, storage: chromeStorage });
// (A service worker is stopped when idle: keep the socket in an offscreen document, or start
// the client on each alarm or message; the outbox in chrome.storage survives either way.)
//
// Events (EventTarget; each event's `detail`):
//   'connection'    { state: 'connecting' | 'connected' | 'disconnected', reason? }
//   'invalidToken'  the invalidToken body  the client refreshes and resends by itself
//   'token'         the new access token   after every successful /refresh
//   'confirmed'     the confirmation { packetId, status, stored, videoKey }
//   'dropped'       { packet, error }       a packet the server refused for good
//   'fPacket'       the fPacket body        notes from this user's other devices and tabs
//   'noteUpdated'   { videoKey, note }      a note's text was edited (PATCH /api/notes/{id}), anywhere
//   'noteDeleted'   { videoKey, id }        a note was deleted (DELETE /api/notes/{id}), anywhere
//   'loginRequired' {}                      the refresh token is gone: log in again
//   'outbox'        { size }                after every change of the outbox

export const OUTBOX_PREFIX = 'notesync.outbox:';

/** The default storage: one localStorage item per unconfirmed packet, under `prefix` + packetId. */
export function localStorageOutbox(prefix = OUTBOX_PREFIX, storage = globalThis.localStorage) {
  return {
    async load() {
      const entries = [];
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key.startsWith(prefix)) {
          try {
            entries.push(JSON.parse(storage.getItem(key)));
          } catch {
            storage.removeItem(key); // not ours, or damaged: it can never be sent
          }
        }
      }
      return entries.sort((a, b) => (a.addedAt ?? 0) - (b.addedAt ?? 0));
    },
    async put(entry) {
      storage.setItem(prefix + entry.packet.packetId, JSON.stringify(entry));
    },
    async remove(packetId) {
      storage.removeItem(prefix + packetId);
    },
  };
}

export class NotesyncClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url             notesync's origin, e.g. 'https://notes.example.com'
   * @param {Function} options.io            socket.io-client's `io`
   * @param {object} [options.storage]       outbox storage, see above
   * @param {object} [options.socketOptions] passed to io(), e.g. { transports: ['polling'] }
   * @param {number} [options.flushIntervalMs=3000]
   * @param {number} [options.answerTimeoutMs=10000]
   * @param {Function} [options.fetch]       for /refresh; defaults to the global fetch
   */
  constructor({ url, io, storage = localStorageOutbox(), socketOptions = {}, flushIntervalMs = 3000,
                answerTimeoutMs = 10000, fetch = globalThis.fetch.bind(globalThis) }) {
    super();
    this.url = url.replace(/\/$/, '');
    this.io = io;
    this.storage = storage;
    this.socketOptions = socketOptions;
    this.flushIntervalMs = flushIntervalMs;
    this.answerTimeoutMs = answerTimeoutMs;
    this.fetch = fetch;
    this.token = null;          // the newest access token
    this.socketToken = null;    // the token the server holds for this socket
    this.tokenRejected = false; // the server refused the socket's token: refresh before reconnecting
    this.socket = null;
    this.packets = [];          // the outbox: [{ packet, attempts, notBefore, addedAt }], oldest first
    this.inFlight = new Set();  // packetIds sent and not answered yet
    this.refreshing = null;     // the pending /refresh, shared by everyone who needs it
    this.timer = null;
    this.loaded = this.storage.load().then((saved) => {
      const known = new Set(this.packets.map((entry) => entry.packet.packetId));
      this.packets = saved.filter((entry) => !known.has(entry.packet.packetId)).concat(this.packets);
      this.changed();
    });
  }

  /**
   * Connects with `accessToken`, or with whatever /refresh gives (the refresh cookie) when it is
   * null, and starts sending. Connects even when /refresh cannot be reached: socket.io-client
   * keeps trying, and the first answer (an `invalidToken` if need be) sets things right.
   */
  async start(accessToken = null) {
    await this.loaded;
    this.token = accessToken ?? (await this.refresh());
    if (this.loginNeeded) {
      return;
    }
    // `auth` as a function: every (re)connect presents the newest token.
    this.socket = this.io(this.url, {
      ...this.socketOptions,
      auth: (cb) => {
        this.socketToken = this.token;
        cb(this.token ? { token: this.token } : {});
      },
    });
    this.emitEvent('connection', { state: 'connecting' });
    this.socket.on('connect', () => {
      this.inFlight.clear();
      this.reconnectDelay = 0;
      this.emitEvent('connection', { state: 'connected' });
      this.flush();
    });
    this.socket.on('disconnect', (reason) => {
      this.inFlight.clear();
      this.emitEvent('connection', { state: 'disconnected', reason });
      if (reason === 'io server disconnect') {
        this.reconnect(); // socket.io-client does not reconnect by itself after this one
      }
    });
    this.socket.on('connect_error', () => this.emitEvent('connection', { state: 'connecting' }));
    this.socket.on('invalidToken', (body) => {
      this.emitEvent('invalidToken', body);
      if (!body.packetId) {
        this.tokenRejected = true; // at connect or at expiry: the server disconnects us now
      }
    });
    this.socket.on('fPacket', (body) => this.emitEvent('fPacket', body));
    // Sent to every socket of the user, this one included: edits and deletes come over HTTP.
    this.socket.on('noteUpdated', (body) => this.emitEvent('noteUpdated', body));
    this.socket.on('noteDeleted', (body) => this.emitEvent('noteDeleted', body));
    this.timer = setInterval(() => this.flush(), this.flushIntervalMs);
  }

  /** Stops sending and closes the socket; the outbox stays in storage for the next start. */
  stop() {
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    this.timer = null;
    this.socket?.close();
    this.socket = null;
  }

  get connected() {
    return Boolean(this.socket?.connected);
  }

  /** Queues a note (persisted at once) and sends it when it can. Returns its packetId. */
  addNote({ videoUrl, text, timestamp }) {
    const packetId = crypto.randomUUID();
    const entry = { packet: { packetId, videoUrl, notes: [{ text, timestamp }] }, attempts: 0, notBefore: 0, addedAt: Date.now() };
    this.packets.push(entry);
    this.save(entry);
    this.changed();
    this.flush();
    return packetId;
  }

  /** The packets not confirmed yet. */
  outbox() {
    return this.packets.map((entry) => entry.packet);
  }

  /** Sends every unconfirmed packet that is not waiting for an answer or a backoff; only while connected. */
  flush() {
    if (!this.connected) {
      return;
    }
    const now = Date.now();
    for (const entry of this.packets) {
      if (!this.inFlight.has(entry.packet.packetId) && entry.notBefore <= now) {
        this.send(entry);
      }
    }
  }

  send(entry) {
    const { packetId } = entry.packet;
    this.inFlight.add(packetId);
    entry.attempts += 1;
    // A token newer than the socket's travels with the packet and becomes the socket's.
    const accessToken = this.token && this.token !== this.socketToken ? this.token : null;
    const packet = accessToken ? { ...entry.packet, accessToken } : entry.packet;
    entry.sentWith = accessToken ?? this.socketToken;
    const socket = this.socket;
    socket.timeout(this.answerTimeoutMs).emit('packet', packet, (timedOut, answer) => {
      if (socket !== this.socket) {
        return;
      }
      this.inFlight.delete(packetId);
      if (timedOut) {
        return; // no answer (or the socket went away): the next flush sends it again
      }
      if (answer.ok && accessToken) {
        this.socketToken = accessToken;
      }
      this.onAnswer(entry, answer);
    });
  }

  onAnswer(entry, answer) {
    if (answer.ok) {
      this.remove(entry.packet.packetId);
      this.emitEvent('confirmed', answer);
      return;
    }
    const error = answer.error ?? {};
    if ('reason' in error && error.reason !== 'userMismatch') {
      this.resendWithFreshToken(entry);
    } else if (error.retryable) {
      const backoff = Math.min(60_000, 500 * 2 ** Math.min(entry.attempts, 7));
      entry.notBefore = Date.now() + backoff * (0.5 + Math.random() / 2);
      this.save(entry);
    } else {
      // invalidPacket, tooLarge, or a packet of another user: it can never succeed as sent.
      this.remove(entry.packet.packetId);
      this.emitEvent('dropped', { packet: entry.packet, error });
    }
  }

  /** invalidToken for a packet: refresh (once for everyone), then resend it with the new token. */
  async resendWithFreshToken(entry) {
    const { packetId } = entry.packet;
    this.inFlight.add(packetId); // keep flush() from sending it with the old token meanwhile
    // Refresh only if nobody did since this packet went out with its token.
    const token = this.token && this.token !== entry.sentWith ? this.token : await this.refresh();
    this.inFlight.delete(packetId);
    if (token && this.connected && this.packets.includes(entry)) {
      this.send(entry);
    }
  }

  /** After the server disconnected us: refresh first if it refused our token, then connect again. */
  async reconnect() {
    clearTimeout(this.reconnectTimer);
    if (this.tokenRejected) {
      const token = await this.refresh();
      if (this.loginNeeded || !this.socket) {
        return;
      }
      if (token) {
        this.tokenRejected = false;
      }
    }
    // A server shutting down disconnects everyone at once: spread the reconnects.
    this.reconnectDelay = Math.min(30_000, Math.max(500, (this.reconnectDelay ?? 0) * 2));
    const delay = this.tokenRejected ? this.reconnectDelay : Math.random() * this.reconnectDelay;
    this.reconnectTimer = setTimeout(() => {
      if (this.socket && !this.socket.connected) {
        this.socket.connect(); // if the server is down, socket.io-client's own retries take over
      }
    }, delay);
  }

  /** POST /refresh with the HttpOnly cookie; one request however many callers need it. Null when it fails. */
  refresh() {
    this.refreshing ??= (async () => {
      try {
        const response = await this.fetch(`${this.url}/refresh`, { method: 'POST', credentials: 'include' });
        if (response.status === 401) {
          this.loginNeeded = true;
          this.emitEvent('loginRequired', {});
          this.stop();
          return null;
        }
        if (!response.ok) {
          return null;
        }
        const body = await response.json();
        this.token = body.accessToken;
        this.loginNeeded = false;
        this.emitEvent('token', this.token);
        return this.token;
      } catch {
        return null; // offline: whoever needs a token asks again later
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  remove(packetId) {
    this.packets = this.packets.filter((entry) => entry.packet.packetId !== packetId);
    this.storage.remove(packetId);
    this.changed();
  }

  save({ packet, attempts, notBefore, addedAt }) {
    this.storage.put({ packet, attempts, notBefore, addedAt });
  }

  changed() {
    this.emitEvent('outbox', { size: this.packets.length });
  }

  emitEvent(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
