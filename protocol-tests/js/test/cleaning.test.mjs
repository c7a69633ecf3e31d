// docs/protocol.md, "Cleaning the strings": checked on what fPacket carries and what GET /api/notes returns.

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { closeAll, connectAs, newUser, newVideoUrl, note, packet, storedTexts } from './support.mjs';

afterEach(closeAll);

/**
 * Sends `texts` as one packet (timestamps 1, 2, 3, ... so the stored order is the sent order) and
 * returns the confirmation, the texts fPacket carried to another socket, and the stored texts.
 */
async function roundTrip(texts) {
  const user = newUser();
  const sender = await connectAs(user);
  const listener = await connectAs(user);
  const videoUrl = newVideoUrl();
  const confirmation = await sender.store(packet({ videoUrl, notes: texts.map((text, i) => note(text, i + 1)) }));
  const forwarded = (await listener.next('fPacket')).notes.map((n) => n.text);
  const stored = await storedTexts(user, videoUrl);
  return { confirmation, forwarded, stored };
}

/** Asserts that each raw text arrives, in fPacket and in storage, as the expected cleaned text. */
async function assertCleaned(pairs) {
  const { forwarded, stored } = await roundTrip(pairs.map(([raw]) => raw));
  const expected = pairs.map(([, cleaned]) => cleaned);
  assert.deepEqual(forwarded, expected, 'fPacket text');
  assert.deepEqual(stored, expected, 'GET /api/notes text');
}

describe('cleaning note text', () => {
  test('text is put in Unicode NFC', async () => {
    await assertCleaned([
      ['caf\u0065\u0301', 'caf\u00e9'],
      ['A\u030a', '\u00c5'],
      ['\u1100\u1161', '\uac00'],
      ['\u00e9 already composed', '\u00e9 already composed'],
    ]);
  });

  test('\\r\\n and \\r become \\n', async () => {
    await assertCleaned([
      ['line 1\r\nline 2', 'line 1\nline 2'],
      ['line 1\rline 2', 'line 1\nline 2'],
      ['a\r\n\r\nb\r\rc\n\nd', 'a\n\nb\n\nc\n\nd'],
    ]);
  });

  test('control characters other than \\n and \\t are removed', async () => {
    await assertCleaned([
      ['a\u0000b\u0001c\u0008d\u000be\u000cf\u001bg\u007fh', 'abcdefgh'],
      ['C1: \u0080x\u0085y\u009fz', 'C1: xyz'],
      ['tab\tand\nnewline stay', 'tab\tand\nnewline stay'],
    ]);
  });

  test('leading and trailing whitespace is trimmed, inner whitespace is kept', async () => {
    await assertCleaned([
      ['  \t\n padded \n\t ', 'padded'],
      ['inner  spaces\t\tand\n\nlines', 'inner  spaces\t\tand\n\nlines'],
      ['\r\n  after a CRLF  \r\n', 'after a CRLF'],
      ['\u0000  control at the edges  \u0007', 'control at the edges'],
    ]);
  });

  test('a note that is empty after cleaning is dropped while the others are stored', async () => {
    const { confirmation, forwarded, stored } = await roundTrip(['keep me', '   ', '\u0000\r\n\t', 'me too', '']);
    assert.equal(confirmation.stored, 2);
    assert.deepEqual(forwarded, ['keep me', 'me too']);
    assert.deepEqual(stored, ['keep me', 'me too']);
  });

  test('HTML is stored as sent, not escaped', async () => {
    await assertCleaned([
      ['<b>x</b>', '<b>x</b>'],
      ['<script>alert("x")</script> & &amp; \'quoted\'', '<script>alert("x")</script> & &amp; \'quoted\''],
    ]);
  });

  test('non-ASCII text passes unchanged', async () => {
    await assertCleaned([
      ['🎵 chorus 🎶', '🎵 chorus 🎶'],
      ['日本語のメモ', '日本語のメモ'],
      ['שלום עולם', 'שלום עולם'],
    ]);
  });
});
