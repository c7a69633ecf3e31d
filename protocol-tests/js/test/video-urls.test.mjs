// docs/protocol.md, "The video base URL": videoKey in confirmation, canonical videoUrl in fPacket and GET /api/notes.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { closeAll, connectAs, getNotes, newUser, note, packet } from './support.mjs';

afterEach(closeAll);

const ID = 'dQw4w9WgXcQ';
const YOUTUBE = { videoKey: `youtube:${ID}`, videoUrl: `https://www.youtube.com/watch?v=${ID}` };
const VIMEO = { videoKey: 'vimeo:123456789', videoUrl: 'https://vimeo.com/123456789' };
const generic = (videoUrl) => ({ videoKey: `url:${videoUrl}`, videoUrl });

/** Sends a packet for `videoUrl` and returns what confirmation and a listener's fPacket said about the video. */
async function canonical(videoUrl) {
  const user = newUser();
  const sender = await connectAs(user);
  const listener = await connectAs(user);
  const confirmation = await sender.store(packet({ videoUrl }));
  const forwarded = await listener.next('fPacket');
  assert.equal(forwarded.videoKey, confirmation.videoKey, 'fPacket and confirmation agree on videoKey');
  return { videoKey: confirmation.videoKey, videoUrl: forwarded.videoUrl };
}

const RULES = [
  ['a youtube.com watch URL with t and list', `https://www.youtube.com/watch?v=${ID}&t=42s&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG`, YOUTUBE],
  ['a youtube.com watch URL with v after other parameters', `https://www.youtube.com/watch?list=PLx&v=${ID}&index=3`, YOUTUBE],
  ['a youtu.be URL with t', `https://youtu.be/${ID}?t=5`, YOUTUBE],
  ['a youtube.com /embed/ URL', `https://www.youtube.com/embed/${ID}?start=10`, YOUTUBE],
  ['a youtube.com /shorts/ URL', `https://www.youtube.com/shorts/${ID}`, YOUTUBE],
  ['an m.youtube.com watch URL', `https://m.youtube.com/watch?v=${ID}&t=1m2s`, YOUTUBE],
  ['a music.youtube.com watch URL', `https://music.youtube.com/watch?v=${ID}&list=RDAMVM${ID}`, YOUTUBE],
  ['a vimeo.com URL with #t=', 'https://vimeo.com/123456789#t=30s', VIMEO],
  ['a generic URL: scheme and host are lower-cased, the path is kept', 'HTTPS://Videos.EXAMPLE.com/Talks/Intro', generic('https://videos.example.com/Talks/Intro')],
  ['a generic URL: the default http port is dropped', 'http://videos.example.com:80/a', generic('http://videos.example.com/a')],
  ['a generic URL: the default https port is dropped', 'https://videos.example.com:443/a', generic('https://videos.example.com/a')],
  ['a generic URL: another port is kept', 'https://videos.example.com:8443/a', generic('https://videos.example.com:8443/a')],
  ['a generic URL: the fragment is removed', 'https://videos.example.com/a?id=7#chapter-2', generic('https://videos.example.com/a?id=7')],
  ['a generic URL: t and start are removed', 'https://videos.example.com/a?t=42&id=7&start=10', generic('https://videos.example.com/a?id=7')],
  [
    'a generic URL: utm_*, fbclid, gclid, si and feature are removed',
    'https://videos.example.com/a?utm_source=news&utm_medium=email&utm_campaign=spring&fbclid=IwAR0&gclid=Cj0K&si=abc&feature=share&id=7',
    generic('https://videos.example.com/a?id=7'),
  ],
  ['a generic URL: the remaining parameters are sorted', 'https://videos.example.com/a?z=1&a=2&m=3', generic('https://videos.example.com/a?a=2&m=3&z=1')],
  ['a generic URL: no query is left when every parameter is removed', 'https://videos.example.com/a?t=5&utm_source=x', generic('https://videos.example.com/a')],
  [
    'a generic URL: all rules at once',
    'HTTPS://Videos.Example.COM:443/watch?utm_source=x&b=2&t=1m&a=1&fbclid=y#frag',
    generic('https://videos.example.com/watch?a=1&b=2'),
  ],
];

describe('videoKey and canonical videoUrl', () => {
  for (const [description, url, expected] of RULES) {
    test(`${description}: ${url} -> ${expected.videoKey}`, async () => {
      assert.deepEqual(await canonical(url), expected);
    });
  }
});

describe('other schemes are invalid', () => {
  for (const url of ['data:text/html,<b>hi</b>', 'file:///etc/passwd', 'ftp://videos.example.com/a.mp4', 'javascript:void(0)']) {
    test(`${url.split(':')[0]}: gets packetError on videoUrl`, async () => {
      const client = await connectAs(newUser());
      const p = packet({ videoUrl: url });
      const answer = await client.send(p);
      assert.equal(answer.event, 'packetError', JSON.stringify(answer.data));
      assert.equal(answer.data.field, 'videoUrl');
      assert.equal(answer.data.packetId, p.packetId);
    });
  }
});

describe('different URLs of the same video share one set of notes', () => {
  /** Stores one note per URL and returns GET /api/notes for `readUrl`. */
  async function storeThroughEach(urls, readUrl) {
    const user = newUser();
    const client = await connectAs(user);
    const keys = new Set();
    for (const [i, videoUrl] of urls.entries()) {
      keys.add((await client.store(packet({ videoUrl, notes: [note(`via ${i}`, i)] }))).videoKey);
    }
    const res = await getNotes(readUrl, { username: user });
    assert.equal(res.status, 200, res.text);
    return { keys: [...keys], body: res.body };
  }

  test('YouTube: watch, youtu.be, embed, shorts, m. and music. URLs file under youtube:ID', async () => {
    const urls = [
      `https://www.youtube.com/watch?v=${ID}&t=42s&list=X`,
      `https://youtu.be/${ID}?t=5`,
      `https://www.youtube.com/embed/${ID}`,
      `https://www.youtube.com/shorts/${ID}`,
      `https://m.youtube.com/watch?v=${ID}`,
      `https://music.youtube.com/watch?v=${ID}`,
    ];
    const { keys, body } = await storeThroughEach(urls, `https://youtu.be/${ID}`);
    assert.deepEqual(keys, [YOUTUBE.videoKey]);
    assert.equal(body.videoKey, YOUTUBE.videoKey);
    assert.equal(body.videoUrl, YOUTUBE.videoUrl);
    assert.deepEqual(body.notes.map((n) => n.text), urls.map((_, i) => `via ${i}`));
  });

  test('Vimeo: with and without #t= file under vimeo:ID', async () => {
    const { keys, body } = await storeThroughEach(['https://vimeo.com/123456789#t=30s', 'https://vimeo.com/123456789'], 'https://vimeo.com/123456789#t=1m');
    assert.deepEqual(keys, [VIMEO.videoKey]);
    assert.equal(body.videoUrl, VIMEO.videoUrl);
    assert.deepEqual(body.notes.map((n) => n.text), ['via 0', 'via 1']);
  });

  test('generic: URLs differing in case, port, fragment, time, tracking and order share notes', async () => {
    const urls = [
      'HTTPS://Videos.Example.com:443/v?b=2&a=1&utm_source=x#top',
      'https://videos.example.com/v?a=1&b=2&t=30',
      'https://videos.example.com/v?fbclid=z&b=2&start=3&a=1',
    ];
    const { keys, body } = await storeThroughEach(urls, 'https://videos.example.com/v?b=2&a=1');
    assert.deepEqual(keys, ['url:https://videos.example.com/v?a=1&b=2']);
    assert.equal(body.videoUrl, 'https://videos.example.com/v?a=1&b=2');
    assert.deepEqual(body.notes.map((n) => n.text), ['via 0', 'via 1', 'via 2']);
  });

  test('generic: URLs that differ in a kept parameter are different videos', async () => {
    const user = newUser();
    const client = await connectAs(user);
    const one = await client.store(packet({ videoUrl: 'https://videos.example.com/v?id=1', notes: [note('one', 1)] }));
    const two = await client.store(packet({ videoUrl: 'https://videos.example.com/v?id=2', notes: [note('two', 1)] }));
    assert.notEqual(one.videoKey, two.videoKey);
    const res = await getNotes('https://videos.example.com/v?id=1', { username: user });
    assert.deepEqual(res.body.notes.map((n) => n.text), ['one']);
  });
});
