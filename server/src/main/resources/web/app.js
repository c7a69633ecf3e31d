// The notesync web app: log in, list your videos, read a video's notes, see new ones live,
// add notes through the reference client, edit and delete them, open the video at a note's
// moment, export a video's notes. Plain ES modules, no framework, no build.
//
// It talks only to the notesync it was loaded from: nothing in the address bar (query, fragment)
// or in storage can point it elsewhere, since a crafted link that did so would hand the
// attacker the password, the refresh cookie's access tokens and a script in this origin
// (docs/protocol.md, "HTTP API"). Its code, the socket.io-client bundle included, comes from the page's own origin.
// An operator who copies these files to another origin of the same site names notesync in the
// page itself, `<meta name="notesync-origin" content="https://notes.example.com">` in
// index.html: something only the operator controls. Note text is always set with textContent:
// notes are untrusted text, never HTML.

import { io } from './socket.io/socket.io.esm.min.js';
import { NotesyncClient, localStorageOutbox } from './client/notesync-client.js';
import { exportFileName, formatTime, toJson, toMarkdown, videoLinkAt } from './notes-format.js';

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
  notes: new Map(),   // id -> note shown, so a note never appears twice
  deletedIds: new Set(), // ids deleted while the video is open: a late read must not show them again
  cursor: null,      // from the last /api/notes answer, for catching up after a reconnect
};

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
    response = await fetch(api + path, { method, headers, credentials: 'include', body: body && JSON.stringify(body) });
  }
  return response;
}

function showLogin(message = '') {
  state.client?.stop();
  state.client = null;
  state.token = null;
  state.video = null;
  state.notes.clear();
  state.deletedIds.clear();
  $('notes').replaceChildren();
  $('videos').replaceChildren();
  $('export').hidden = true;
  $('video-key').textContent = '';
  $('app-view').hidden = true;
  $('account-view').hidden = true;
  $('account-toggle').hidden = true;
  $('account-toggle').setAttribute('aria-expanded', 'false');
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
  $('account-toggle').hidden = false;
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
  // Edits and deletes made in another tab or device (or in this one: applying twice is harmless).
  client.addEventListener('noteUpdated', ({ detail }) => {
    if (state.video && detail.videoKey === state.video.videoKey) {
      updateNote(detail.note);
    }
  });
  client.addEventListener('noteDeleted', ({ detail }) => {
    if (state.video && detail.videoKey === state.video.videoKey) {
      removeNote(detail.id);
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
  state.notes.clear();
  state.deletedIds.clear();
  state.cursor = body.cursor;
  $('video-url').value = body.videoUrl;
  $('video-key').textContent = body.videoKey;
  $('export').hidden = false;
  $('notes').replaceChildren();
  addNotes(body.notes, false);
  loadVideos();
}

/** After a reconnect (or a confirmation), fetch only what changed since the last answer. */
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
  for (const note of body.updated ?? []) {
    updateNote(note);
  }
  for (const id of body.deleted ?? []) {
    removeNote(id);
  }
}

/** Inserts notes in video-time order (then createdAt), skipping any already shown or deleted. */
function addNotes(notes, fresh) {
  const list = $('notes');
  for (const note of notes) {
    if (state.notes.has(note.id) || state.deletedIds.has(note.id)) {
      continue;
    }
    state.notes.set(note.id, note);
    const item = noteItem(note);
    if (fresh) {
      item.classList.add('new');
    }
    const after = [...list.children].find((other) =>
      Number(other.dataset.timestamp) > note.timestamp
      || (Number(other.dataset.timestamp) === note.timestamp && other.dataset.createdAt > note.createdAt));
    list.insertBefore(item, after ?? null);
  }
  $('no-notes').hidden = list.children.length > 0;
}

/** One note: its time (a link to the video at that moment), its text (as text), Edit and Delete. */
function noteItem(note) {
  const item = document.createElement('li');
  item.dataset.id = note.id;
  item.dataset.timestamp = note.timestamp;
  item.dataset.createdAt = note.createdAt;

  const time = document.createElement('time');
  time.textContent = formatTime(note.timestamp);
  const href = videoLinkAt(state.video.videoUrl, note.timestamp);
  let at = time;
  if (href) {
    at = document.createElement('a');
    at.className = 'at';
    at.href = href;
    at.target = '_blank';
    at.rel = 'noopener noreferrer';
    at.title = `Open the video at ${time.textContent} in a new tab`;
    at.append(time);
  }
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = note.text;

  const actions = document.createElement('span');
  actions.className = 'actions';
  const edit = button('Edit', 'edit', () => startEdit(item));
  edit.setAttribute('aria-label', `Edit the note at ${time.textContent}`);
  const remove = button('Delete', 'delete', () => askDelete(item));
  remove.setAttribute('aria-label', `Delete the note at ${time.textContent}`);
  actions.append(edit, remove);
  item.append(at, text, actions);
  return item;
}

function button(label, className, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

function itemOf(id) {
  return [...$('notes').children].find((item) => item.dataset.id === id) ?? null;
}

/** A newer text for a note shown (from this tab's edit, noteUpdated or a catch-up). */
function updateNote(note) {
  const shown = state.notes.get(note.id);
  if (!shown) {
    return; // not shown: a catch-up brings it if it is ours to show
  }
  // A catch-up read before a newer edit may answer after that edit's noteUpdated: keep the newer.
  if (shown.updatedAt && (!note.updatedAt || note.updatedAt < shown.updatedAt)) {
    return;
  }
  state.notes.set(note.id, { ...shown, ...note });
  const item = itemOf(note.id);
  if (item) {
    item.querySelector('.text').textContent = note.text;
    item.classList.remove('new');
    void item.offsetWidth; // restart the highlight
    item.classList.add('new');
  }
}

function removeNote(id) {
  state.deletedIds.add(id);
  state.notes.delete(id);
  itemOf(id)?.remove();
  $('no-notes').hidden = $('notes').children.length > 0;
}

function notice(message) {
  $('notice').textContent = message;
  $('notice').hidden = false;
}

/** Edit in place: a text box with Save and Cancel; Enter saves (Shift+Enter: a new line), Escape cancels. */
function startEdit(item) {
  if (item.querySelector('.edit-form')) {
    item.querySelector('.edit-text').focus();
    return;
  }
  const text = item.querySelector('.text');
  const actions = item.querySelector('.actions');
  const form = document.createElement('form');
  form.className = 'edit-form';
  const box = document.createElement('textarea');
  box.className = 'edit-text';
  box.value = state.notes.get(item.dataset.id)?.text ?? text.textContent;
  box.rows = Math.min(8, box.value.split('\n').length + 1);
  box.setAttribute('aria-label', 'Note text');
  const save = document.createElement('button');
  save.type = 'submit';
  save.className = 'save';
  save.textContent = 'Save';
  const close = () => {
    form.remove();
    text.hidden = false;
    actions.hidden = false;
    item.querySelector('.edit')?.focus();
  };
  const cancel = button('Cancel', 'cancel secondary', close);
  form.append(box, save, cancel);
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    const id = item.dataset.id;
    try {
      const response = await call(`/api/notes/${encodeURIComponent(id)}`, { method: 'PATCH', body: { text: box.value } });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        if (response.status === 404) {
          removeNote(id); // deleted meanwhile, elsewhere
        }
        notice(`The note was not saved: ${body.error?.message ?? response.status}`);
        return;
      }
      updateNote(body);
      close();
    } catch {
      notice('The note was not saved: notesync cannot be reached. Try again.');
    } finally {
      save.disabled = false;
    }
  });
  text.hidden = true;
  actions.hidden = true;
  text.after(form);
  box.focus();
}

/** Delete asks once more, in place: "Delete this note?" with Delete (confirms) and Keep. */
function askDelete(item) {
  if (item.querySelector('.confirm')) {
    return;
  }
  const actions = item.querySelector('.actions');
  const confirm = document.createElement('span');
  confirm.className = 'confirm';
  confirm.setAttribute('role', 'group');
  confirm.setAttribute('aria-label', 'Confirm delete');
  const question = document.createElement('span');
  question.textContent = 'Delete this note?';
  const close = () => {
    confirm.remove();
    actions.hidden = false;
    item.querySelector('.delete')?.focus();
  };
  const yes = button('Delete', 'confirm-delete danger', async () => {
    yes.disabled = true;
    const id = item.dataset.id;
    try {
      const response = await call(`/api/notes/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (response.status === 204 || response.status === 404) {
        removeNote(id);
        loadVideos();
        return;
      }
      const body = await response.json().catch(() => ({}));
      notice(`The note was not deleted: ${body.error?.message ?? response.status}`);
      close();
    } catch {
      notice('The note was not deleted: notesync cannot be reached. Try again.');
      close();
    }
  });
  const keep = button('Keep', 'cancel-delete secondary', close);
  confirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  confirm.append(question, yes, keep);
  actions.hidden = true;
  actions.after(confirm);
  keep.focus();
}

/** The open video's notes as shown (video-time order), for the exports. */
function shownNotes() {
  return [...$('notes').children].map((item) => state.notes.get(item.dataset.id)).filter(Boolean);
}

/** Saves `text` as a file through a Blob URL: no server round trip, nothing inline for the CSP to refuse. */
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

$('export-md').addEventListener('click', () => {
  const video = { ...state.video, notes: shownNotes() };
  download(exportFileName(video.videoKey, 'md'), 'text/markdown;charset=utf-8', toMarkdown(video));
});

$('export-json').addEventListener('click', () => {
  const video = { ...state.video, notes: shownNotes() };
  download(exportFileName(video.videoKey, 'json'), 'application/json;charset=utf-8', toJson(video));
});

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

// ---- the account: change password, log out everywhere, export everything, delete ----------------

$('account-toggle').addEventListener('click', () => {
  const open = $('account-view').hidden;
  $('account-view').hidden = !open;
  $('account-toggle').setAttribute('aria-expanded', String(open));
  if (open) {
    $('current-password').focus();
  }
});

function accountNotice(message) {
  $('account-notice').textContent = message;
  $('account-notice').hidden = false;
}

/**
 * Stops the socket client before an account change: the server ends this page's socket as
 * revoked before it answers, and the client would refresh with the cookie the answer replaces.
 */
function pauseClient() {
  state.client?.stop();
  state.client = null;
}

/** Starts the socket client again with `accessToken` (the one answered, or the one held before). */
function resumeClient(accessToken) {
  return signedIn({ accessToken, username: state.username });
}

/** An account route: the Bearer token, no retry (a 401 may be a wrong password, not an old token). */
function accountCall(path, method, body) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return fetch(api + path, { method, headers, credentials: 'include', body: body && JSON.stringify(body) });
}

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('password-error').textContent = '';
  const before = state.token;
  pauseClient();
  let response;
  try {
    response = await accountCall('/auth/password', 'POST',
      { currentPassword: $('current-password').value, newPassword: $('new-password').value });
  } catch {
    $('password-error').textContent = 'notesync cannot be reached. Try again.';
    await resumeClient(before);
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('password-error').textContent = body.error?.message ?? `The password was not changed (${response.status})`;
    await resumeClient(before);
    return;
  }
  // This session goes on with the answered token and cookie: its socket reconnects with them.
  await resumeClient(body.accessToken);
  $('current-password').value = '';
  $('new-password').value = '';
  accountNotice('Password changed. Every other session has been logged out.');
});

$('logout-all').addEventListener('click', async () => {
  const before = state.token;
  pauseClient();
  const response = await accountCall('/auth/logout-all', 'POST').catch(() => null);
  if (!response || response.status !== 204) {
    await resumeClient(before);
    accountNotice('Could not log out everywhere. Try again.');
    return;
  }
  showLogin('You have been logged out everywhere.');
});

async function exportAll(format, extension) {
  const response = await accountCall(`/api/export?format=${format}`, 'GET').catch(() => null);
  if (!response?.ok) {
    accountNotice('The export failed. Try again.');
    return;
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `notesync-export.${extension}`;
  download(name, response.headers.get('Content-Type') ?? 'application/octet-stream', await response.blob());
  accountNotice(`Exported to ${name}.`);
}

$('export-all-json').addEventListener('click', () => exportAll('json', 'json'));
$('export-all-md').addEventListener('click', () => exportAll('markdown', 'md'));

$('delete-account-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('delete-error').textContent = '';
  const before = state.token;
  pauseClient();
  let response;
  try {
    response = await accountCall('/api/account', 'DELETE', { password: $('delete-password').value });
  } catch {
    $('delete-error').textContent = 'notesync cannot be reached. Try again.';
    await resumeClient(before);
    return;
  }
  if (response.status !== 204) {
    const body = await response.json().catch(() => ({}));
    $('delete-error').textContent = body.error?.message ?? `The account was not deleted (${response.status})`;
    await resumeClient(before);
    return;
  }
  $('delete-password').value = '';
  showLogin('Your account and all its notes were deleted.');
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
