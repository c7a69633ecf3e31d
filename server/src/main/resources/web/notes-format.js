// Pure helpers of the web app: video times, links that open a video at a moment, and the
// exports. No DOM, no network: the same input always gives the same text.

/** "mm:ss" (or "h:mm:ss") for a video position in seconds. */
export function formatTime(seconds) {
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com']);
const VIMEO_HOSTS = new Set(['vimeo.com', 'www.vimeo.com', 'player.vimeo.com']);

/**
 * The video's URL opening at `seconds` (whole seconds): YouTube `&t=<s>s`, youtu.be `?t=<s>`,
 * Vimeo `#t=<s>s`. Any other URL is returned as stored: there is no common way to say "at this
 * moment", and a guessed parameter could change what the page shows. Not an http(s) URL: null.
 */
export function videoLinkAt(videoUrl, seconds) {
  let url;
  try {
    url = new URL(videoUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  const s = Math.max(0, Math.floor(seconds));
  const host = url.hostname.toLowerCase();
  if (YOUTUBE_HOSTS.has(host)) {
    url.searchParams.delete('start');
    url.searchParams.set('t', `${s}s`);
  } else if (host === 'youtu.be') {
    url.searchParams.set('t', String(s));
  } else if (VIMEO_HOSTS.has(host)) {
    url.hash = `t=${s}s`;
  } else {
    return videoUrl;
  }
  return url.toString();
}

/**
 * Text as Markdown shows it literally: HTML's `<`, `>` and `&` as entities (no tag, no entity of
 * the note's own), the inline punctuation Markdown reads (emphasis, code, links, images, tables,
 * strike-through, headings) backslash-escaped, and at a line's start what would begin a list,
 * a quote or a setext heading. The same rules as the server's Markdown export.
 */
export function escapeMarkdown(text) {
  return text
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])
    .replace(/[\\`*_[\]()!|~#{}]/g, (c) => `\\${c}`)
    .replace(/^([ \t]*)([-+=])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}

/**
 * `- [mm:ss](link) text`, one item per note in the order given (video time). Lines after the
 * first of a multi-line note are indented, so they stay part of their item. Note text and the
 * URL are escaped: a note is text, never Markdown or HTML.
 */
export function toMarkdown({ videoUrl, notes }) {
  const lines = [`# Notes on ${escapeMarkdown(videoUrl)}`, ''];
  for (const note of notes) {
    // Parentheses, spaces and angle brackets would end a Markdown link destination early.
    const link = (videoLinkAt(videoUrl, note.timestamp) ?? videoUrl)
      .replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    lines.push(`- [${formatTime(note.timestamp)}](${link}) ${escapeMarkdown(note.text).replaceAll('\n', '\n  ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The notes as notesync answers them, with each note's link, under the video's key and URL. */
export function toJson({ videoKey, videoUrl, notes }, exportedAt = new Date()) {
  return `${JSON.stringify({
    videoKey,
    videoUrl,
    exportedAt: exportedAt.toISOString(),
    notes: notes.map((note) => ({ ...note, link: videoLinkAt(videoUrl, note.timestamp) ?? videoUrl })),
  }, null, 2)}\n`;
}

/**
 * A file name for an export of `videoKey`: letters, digits, dots and dashes only. A URL that is
 * not a known video site gives its host and path only, never its query or fragment (tokens).
 */
export function exportFileName(videoKey, extension) {
  const base = videoKey.replace(/^(url:[^?#]*)[?#].*$/s, '$1').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'notes';
  return `notesync-${base}.${extension}`;
}
