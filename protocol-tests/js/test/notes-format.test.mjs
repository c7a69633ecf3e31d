// The web app's pure helpers (server/src/main/resources/web/notes-format.js): the links that open
// a video at a note's moment, and the exports. No server needed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportFileName, formatTime, toJson, toMarkdown, videoLinkAt } from '../../../server/src/main/resources/web/notes-format.js';

describe('videoLinkAt', () => {
  test('YouTube gets &t=<s>s, replacing a time the URL had', () => {
    assert.equal(videoLinkAt('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 95.9), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=95s');
    assert.equal(videoLinkAt('https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=3s', 7), 'https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=7s');
    assert.equal(videoLinkAt('https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=3', 7), 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=7s');
  });

  test('youtu.be gets ?t=<s>', () => {
    assert.equal(videoLinkAt('https://youtu.be/dQw4w9WgXcQ', 61), 'https://youtu.be/dQw4w9WgXcQ?t=61');
  });

  test('Vimeo gets #t=<s>s', () => {
    assert.equal(videoLinkAt('https://vimeo.com/76979871', 1260.2), 'https://vimeo.com/76979871#t=1260s');
    assert.equal(videoLinkAt('https://vimeo.com/76979871#t=3s', 0), 'https://vimeo.com/76979871#t=0s');
  });

  test('other URLs stay as stored; what is not http(s) gets no link', () => {
    assert.equal(videoLinkAt('https://videos.example.com/a.mp4?b=1#x', 42), 'https://videos.example.com/a.mp4?b=1#x');
    assert.equal(videoLinkAt('javascript:alert(1)', 42), null);
    assert.equal(videoLinkAt('not a url', 42), null);
  });
});

describe('exports', () => {
  const video = {
    videoKey: 'vimeo:1',
    videoUrl: 'https://vimeo.com/1',
    notes: [
      { id: 'a', text: 'one', timestamp: 4.5, createdAt: '2026-11-22T10:00:00.000Z' },
      { id: 'b', text: 'two\nlines', timestamp: 3725, createdAt: '2026-11-22T10:00:00.000Z' },
    ],
  };

  test('formatTime is mm:ss, or h:mm:ss from an hour on', () => {
    assert.deepEqual([0, 4.9, 95, 3725].map(formatTime), ['0:00', '0:04', '1:35', '1:02:05']);
  });

  test('Markdown: one "- [mm:ss](link) text" item per note, later lines indented', () => {
    assert.equal(toMarkdown(video), [
      '# Notes on https://vimeo.com/1',
      '',
      '- [0:04](https://vimeo.com/1#t=4s) one',
      '- [1:02:05](https://vimeo.com/1#t=3725s) two',
      '  lines',
      '',
    ].join('\n'));
  });

  test('Markdown: parentheses and spaces in a stored URL cannot end the link early', () => {
    const md = toMarkdown({ videoUrl: 'https://example.com/a_(b) c', notes: [{ text: 't', timestamp: 1 }] });
    assert.match(md, /^- \[0:01\]\(https:\/\/example\.com\/a_%28b%29%20c\) t$/m);
  });

  test('JSON: the notes with their links, under the video', () => {
    const parsed = JSON.parse(toJson(video, new Date('2026-11-22T11:00:00Z')));
    assert.equal(parsed.exportedAt, '2026-11-22T11:00:00.000Z');
    assert.equal(parsed.videoKey, 'vimeo:1');
    assert.deepEqual(parsed.notes.map((n) => n.link), ['https://vimeo.com/1#t=4s', 'https://vimeo.com/1#t=3725s']);
    assert.equal(parsed.notes[1].text, 'two\nlines');
  });

  test('file names keep letters, digits, dots and dashes only', () => {
    assert.equal(exportFileName('url:https://x.com/a/../b', 'md'), 'notesync-url-https-x.com-a-..-b.md');
    assert.equal(exportFileName('youtube:dQw4w9WgXcQ', 'json'), 'notesync-youtube-dQw4w9WgXcQ.json');
  });

  test('the file name of a URL that is not a video site carries its host and path, never its query or fragment', () => {
    assert.equal(exportFileName('url:https://example.com/private/video.mp4?token=SECRET123&utm_source=x', 'md'),
      'notesync-url-https-example.com-private-video.mp4.md');
    assert.equal(exportFileName('url:https://example.com/v#secret', 'json'), 'notesync-url-https-example.com-v.json');
  });

  test('Markdown: note text that Markdown or HTML would interpret is escaped', () => {
    const md = toMarkdown({ videoUrl: 'https://vimeo.com/1', notes: [
      { text: '<img src=x onerror=alert(1)> *bold* _em_ [link](javascript:x) `code` & ~~s~~ | t', timestamp: 1 },
      { text: 'first\n# heading\n- item\n> quote\n1. ordered', timestamp: 2 },
    ] });
    assert.ok(!md.includes('<img'), md);
    assert.match(md, /&lt;img src=x onerror=alert\\\(1\\\)&gt; \\\*bold\\\* \\_em\\_ \\\[link\\\]\\\(javascript:x\\\) \\`code\\` &amp; \\~\\~s\\~\\~ \\\| t/);
    assert.ok(md.includes('\n  \\# heading\n  \\- item\n  &gt; quote\n  1\\. ordered\n'), md);
  });
});
