// notesync reference client: the extension's side of notesync's wire contract (PROTOCOL.md),
// as a plain ES module with no build step. Copy it into an extension or a page.
//
//   import { NotesyncClient } from '/client/notesync-client.js';
//   const client = new NotesyncClient({ url: 'https://notes.example.com', io });   // io from socket.io-client v4
//   client.addEventListener('loginRequired', () => showLogin());
//   client.start(accessToken);
//   client.addNote({ videoUrl: location.href, text: 'the chorus starts here', timestamp: video.currentTime });
//
// What it promises (PROTOCOL.md, "What a well-behaved client does"):
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
// Storage is pluggable: anything with `async load()` returning the saved array and
// `async save(array)`. In an MV3 service worker, where there is no localStorage:
//   const chromeStorage = {
//     load: async () => (await chrome.storage.local.get('notesync.outbox'))['notesync.outbox'] ?? [],
//     save: (packets) => chrome.storage.local.set({ 'notesync.outbox': packets }),
//   };
//   new NotesyncClient({ url, io, storage: chromeStorage });
//
// Events (EventTarget; each event's `detail`):
//   'connection'    { state: 'connecting' | 'connected' | 'disconnected', reason? }
//   'confirmed'     the confirmation { packetId, status, stored, videoKey }
//   'dropped'       { packet, error }       a packet the server refused for good
//   'fPacket'       the fPacket body        notes from this user's other devices and tabs
//   'loginRequired' {}                      the refresh token is gone: log in again
//   'outbox'        { size }                after every change of the outbox

export const OUTBOX_KEY = 'notesync.outbox';

/** The default storage: one JSON array in localStorage. */
export function localStorageOutbox(key = OUTBOX_KEY, storage = globalThis.localStorage) {
  return {
    async load() {
      try {
        return JSON.parse(storage.getItem(key) ?? '[]');
      } catch {
        return [];
      }
    },
    async save(packets) {
      storage.setItem(key, JSON.stringify(packets));
    },
  };
}

export class NotesyncClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url             notesync's origin, e.g. 'https://notes.example.com'
   * @param {Function} options.io            socket.io-client's `io`
   * @param {object} [options.storage]       outbox storage, see above
   * @param {object} [options.socketOptions] passed to io(), e.g. { transports: ['websocket'] }
   * @param {number} [options.flushIntervalMs=3000]
   * @param {number} [options.answerTimeoutMs=10000]
   * @param {number} [options.maxNotesPerPacket=100]
   * @param {Function} [options.fetch]       for /refresh; defaults to the global fetch
   */
  constructor({ url, io, storage = localStorageOutbox(), socketOptions = {}, flushIntervalMs = 3000,
                answerTimeoutMs = 10000, maxNotesPerPacket = 100, fetch = globalThis.fetch.bind(globalThis) }) {
    super();
    this.url = url.replace(/\/$/, '');
    this.io = io;
    this.storage = storage;
    this.socketOptions = socketOptions;
    this.flushIntervalMs = flushIntervalMs;
    this.answerTimeoutMs = answerTimeoutMs;
    this.maxNotesPerPacket = maxNotesPerPacket;
    this.fetch = fetch;
    this.token = null;
    this.socket = null;
    this.packets = [];          // the outbox: [{ packet, attempts, notBefore }]
    this.inFlight = new Set();  // packetIds sent and not answered yet
    this.refreshing = null;     // the pending /refresh, shared by everyone who needs it
    this.timer = null;
    this.loaded = this.storage.load().then((saved) => {
      this.packets = saved.concat(this.packets);
      this.changed();
    });
  }

  /** Connects with `accessToken` (or refreshes first when it is null) and starts sending. */
  async start(accessToken = null) {
    await this.loaded;
    this.token = accessToken ?? (await this.refresh());
    if (!this.token) {
      return;
    }
    // `auth` as a function: every (re)connect presents the current token.
    this.socket = this.io(this.url, { ...this.socketOptions, auth: (cb) => cb({ token: this.token }) });
    this.emitEvent('connection', { state: 'connecting' });
    this.socket.on('connect', () => {
      this.inFlight.clear();
      this.emitEvent('connection', { state: 'connected' });
      this.flush();
    });
    this.socket.on('disconnect', (reason) => {
      this.inFlight.clear();
      this.emitEvent('connection', { state: 'disconnected', reason });
    });
    this.socket.on('invalidToken', (body) => this.onInvalidToken(body));
    this.socket.on('fPacket', (body) => this.emitEvent('fPacket', body));
    this.timer = setInterval(() => this.flush(), this.flushIntervalMs);
  }

  stop() {
    clearInterval(this.timer);
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
    this.packets.push({ packet: { packetId, videoUrl, notes: [{ text, timestamp }] }, attempts: 0, notBefore: 0 });
    this.changed();
    this.flush();
    return packetId;
  }

  /** The packets not confirmed yet. */
  outbox() {
    return this.packets.map((entry) => entry.packet);
  }

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

  send(entry, accessToken) {
    const { packetId } = entry.packet;
    this.inFlight.add(packetId);
    entry.attempts += 1;
    const packet = accessToken ? { ...entry.packet, accessToken } : entry.packet;
    this.socket.timeout(this.answerTimeoutMs).emit('packet', packet, (timedOut, answer) => {
      this.inFlight.delete(packetId);
      if (timedOut) {
        return; // no answer: the next flush sends it again
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
    if ('reason' in error) {
      this.resendWithFreshToken(entry);
    } else if (error.retryable) {
      const backoff = Math.min(60_000, 500 * 2 ** Math.min(entry.attempts, 7));
      entry.notBefore = Date.now() + backoff * (0.5 + Math.random() / 2);
      this.changed();
    } else {
      this.remove(entry.packet.packetId);
      this.emitEvent('dropped', { packet: entry.packet, error });
    }
  }

  async resendWithFreshToken(entry) {
    const token = await this.refresh();
    if (token && this.connected && this.packets.includes(entry)) {
      this.send(entry, token);
    }
  }

  /** invalidToken without a packetId came at connect time or at expiry: the server disconnects us. */
  async onInvalidToken(body) {
    if (body.packetId) {
      return; // answered through the packet's acknowledgement
    }
    const token = await this.refresh();
    if (token && this.socket && !this.socket.connected) {
      this.socket.connect();
    }
  }

  /** POST /refresh with the HttpOnly cookie; one request however many callers need it. */
  refresh() {
    this.refreshing ??= (async () => {
      try {
        const response = await this.fetch(`${this.url}/refresh`, { method: 'POST', credentials: 'include' });
        if (response.status === 401) {
          this.emitEvent('loginRequired', {});
          return null;
        }
        if (!response.ok) {
          return null;
        }
        const body = await response.json();
        this.token = body.accessToken;
        return this.token;
      } catch {
        return null; // offline: the next attempt refreshes again
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  remove(packetId) {
    this.packets = this.packets.filter((entry) => entry.packet.packetId !== packetId);
    this.changed();
  }

  changed() {
    this.storage.save(this.packets.map(({ packet, attempts, notBefore }) => ({ packet, attempts, notBefore })));
    this.emitEvent('outbox', { size: this.packets.length });
  }

  emitEvent(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
