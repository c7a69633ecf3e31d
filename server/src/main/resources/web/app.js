// The notesync web app: log in, list your videos, read a video's notes, see new ones live,
// add notes through the reference client. Plain ES modules, no framework, no build.
//
// It talks only to the notesync it was loaded from: nothing in the address bar (query, fragment)
// or in storage can point it elsewhere, since a crafted link that did so would hand the
// attacker the password, the refresh cookie's access tokens and a script in this origin
// (PROTOCOL.md). Its code, the socket.io-client bundle included, comes from the page's own origin.
// An operator who copies these files to another origin of the same site names notesync in the
// page itself, `<meta name="notesync-origin" content="https://notes.example.com">` in
// index.html: something only the operator controls. Note text is always set with textContent:
// notes are untrusted text, never HTML.

import { io } from './socket.io/socket.io.esm.min.js';
import { NotesyncClient, localStorageOutbox } from './client/notesync-client.js';

const api = configuredOrigin();

/** The operator's `notesync-origin` meta tag (an http(s) origin), else the page's own origin. */
function configuredOrigin() {
  const value = document.querySelector('meta[name="notesync-origin"]')?.content?.trim();
  if (!value) {
    return location.origin;
  }
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return url.origin;
    }
  } catch {
    // falls through
  }
  console.warn(`notesync-origin "${value}" is not an http(s) origin; using ${location.origin}`);
  return location.origin;
}

/** `?transports=polling` (or websocket) picks socket.io-client's transports; the default upgrades. */
function socketOptions() {
  const allowed = ['polling', 'websocket'];
  const transports = (new URLSearchParams(location.search).get('transports') ?? '').split(',')
    .filter((name) => allowed.includes(name));
  return transports.length > 0 ? { transports } : {};
}
const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  username: null,
  client: null,
  video: null,       // { videoKey, videoUrl } shown now
  noteIds: new Set(), // ids shown, so a note never appears twice
  cursor: null,      // from the last /api/notes answer, for catching up after a reconnect
};

/** "mm:ss" (or "h:mm:ss") for a video position in seconds. */
export function formatTime(seconds) {
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function parseTime(text) {
  const parts = text.trim().split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n) || n < 0)) {
    return null;
  }
  return parts.reduce((total, n) => total * 60 + n, 0);
}

async function call(path, { method = 'GET', body } = {}) {
  const headers = {};
  if (state.token) {
    headers.Authorization = `Bearer ${state.token}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response = await fetch(api + path, { method, headers, credentials: 'include', body: body && JSON.stringify(body) });
  if (response.status === 401 && state.token && path.startsWith('/api/')) {
    state.token = await state.client?.refresh() ?? null;
    if (!state.token) {
      showLogin();
      throw new Error('login required');
    }
    headers.Authorization = `Bearer ${state.token}`;
    response = await fetch(api + path, { method, headers, credentials: 'include' });
  }
  return response;
}

function showLogin(message = '') {
  state.client?.stop();
  state.client = null;
  state.token = null;
  state.video = null;
  state.noteIds.clear();
  $('notes').replaceChildren();
  $('videos').replaceChildren();
  $('video-key').textContent = '';
  $('app-view').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-view').hidden = false;
  $('login-error').textContent = message;
  setConnection('offline');
  $('username').focus();
}

function setConnection(stateName) {
  const badge = $('connection');
  badge.textContent = stateName;
  badge.className = `connection ${stateName}`;
}

async function signedIn(body) {
  state.token = body.accessToken;
  state.username = body.username;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = body.username;
  // One outbox per user, so notes written before a logout are never sent under another account.
  const client = new NotesyncClient({ url: api, io, storage: localStorageOutbox(`notesync.outbox.${body.username}:`),
    socketOptions: socketOptions() });
  state.client = client;
  client.addEventListener('connection', ({ detail }) => {
    setConnection(detail.state);
    if (detail.state === 'connected' && state.video) {
      catchUp();
    }
  });
  client.addEventListener('fPacket', ({ detail }) => {
    if (state.video && detail.videoKey === state.video.videoKey) {
      addNotes(detail.notes, true);
    }
    loadVideos();
  });
  client.addEventListener('confirmed', ({ detail }) => {
    if (state.video && detail.videoKey === state.video.videoKey) {
      catchUp();
    }
    loadVideos();
  });
  client.addEventListener('dropped', ({ detail }) => {
    $('notice').textContent = `A note was refused and dropped: ${detail.error.message ?? detail.error.code}`;
    $('notice').hidden = false;
  });
  client.addEventListener('loginRequired', () => showLogin('Your session has ended. Please log in again.'));
  client.addEventListener('outbox', ({ detail }) => { $('outbox').textContent = detail.size; });
  client.addEventListener('token', ({ detail }) => { state.token = detail; });
  await client.start(state.token);
  await loadVideos();
}

async function loadVideos() {
  const response = await call('/api/videos');
  if (!response.ok) {
    return;
  }
  const { videos } = await response.json();
  const list = $('videos');
  list.replaceChildren(...videos.map((video) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = video.videoUrl;
    button.title = video.videoKey;
    button.setAttribute('aria-current', String(state.video?.videoKey === video.videoKey));
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = String(video.noteCount);
    button.append(count);
    button.addEventListener('click', () => openVideo(video.videoUrl));
    item.append(button);
    return item;
  }));
  $('no-videos').hidden = videos.length > 0;
}

async function openVideo(videoUrl) {
  const response = await call(`/api/notes?videoUrl=${encodeURIComponent(videoUrl)}`);
  const body = await response.json();
  if (!response.ok) {
    $('video-key').textContent = body.error?.message ?? 'cannot open this video';
    return;
  }
  state.video = { videoKey: body.videoKey, videoUrl: body.videoUrl };
  state.noteIds.clear();
  state.cursor = body.cursor;
  $('video-url').value = body.videoUrl;
  $('video-key').textContent = body.videoKey;
  $('notes').replaceChildren();
  addNotes(body.notes, false);
  loadVideos();
}

/** After a reconnect (or a confirmation), fetch only what was stored since the last answer. */
async function catchUp() {
  const video = state.video;
  const since = state.cursor ? `&since=${encodeURIComponent(state.cursor)}` : '';
  const response = await call(`/api/notes?videoUrl=${encodeURIComponent(video.videoUrl)}${since}`);
  if (!response.ok || state.video !== video) {
    return;
  }
  const body = await response.json();
  state.cursor = body.cursor ?? state.cursor;
  addNotes(body.notes, true);
}

/** Inserts notes in video-time order (then createdAt), skipping any already shown. */
function addNotes(notes, fresh) {
  const list = $('notes');
  for (const note of notes) {
    if (state.noteIds.has(note.id)) {
      continue;
    }
    state.noteIds.add(note.id);
    const item = document.createElement('li');
    item.dataset.id = note.id;
    item.dataset.timestamp = note.timestamp;
    item.dataset.createdAt = note.createdAt;
    if (fresh) {
      item.classList.add('new');
    }
    const time = document.createElement('time');
    time.textContent = formatTime(note.timestamp);
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = note.text;
    item.append(time, text);
    const after = [...list.children].find((other) =>
      Number(other.dataset.timestamp) > note.timestamp
      || (Number(other.dataset.timestamp) === note.timestamp && other.dataset.createdAt > note.createdAt));
    list.insertBefore(item, after ?? null);
  }
  $('no-notes').hidden = list.children.length > 0;
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  let response;
  try {
    response = await call('/auth/login', {
      method: 'POST',
      body: { username: $('username').value, password: $('password').value },
    });
  } catch {
    $('login-error').textContent = `Cannot reach notesync at ${api}`;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('login-error').textContent = body.error?.message ?? 'Login failed';
    return;
  }
  $('password').value = '';
  await signedIn(body);
});

$('logout').addEventListener('click', async () => {
  await call('/auth/logout', { method: 'POST' });
  showLogin();
});

$('video-form').addEventListener('submit', (event) => {
  event.preventDefault();
  openVideo($('video-url').value);
});

$('note-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const timestamp = parseTime($('note-time').value);
  const videoUrl = state.video?.videoUrl ?? $('video-url').value;
  if (timestamp === null || !videoUrl) {
    $('note-time').setCustomValidity(timestamp === null ? 'Use mm:ss or seconds' : '');
    $('note-time').reportValidity();
    return;
  }
  $('note-time').setCustomValidity('');
  state.client.addNote({ videoUrl, text: $('note-text').value, timestamp });
  $('note-text').value = '';
  if (!state.video) {
    openVideo(videoUrl);
  }
});

// A returning user still has the refresh cookie: try it before asking for a password.
(async () => {
  const response = await fetch(`${api}/refresh`, { method: 'POST', credentials: 'include' }).catch(() => null);
  if (response?.ok) {
    await signedIn(await response.json());
  } else {
    showLogin();
  }
})();
