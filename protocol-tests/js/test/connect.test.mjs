// docs/protocol.md, "Authentication at connection".

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  QUERY_TOKEN_URL,
  TRANSPORTS,
  base64url,
  closeAll,
  connect,
  connectAs,
  expiredTokenFor,
  mintToken,
  newUser,
  open,
  packet,
  refused,
  sleep,
  tokenFor,
} from './support.mjs';

afterEach(closeAll);

function queryTokenUrl() {
  assert.ok(QUERY_TOKEN_URL, 'NOTESYNC_QUERY_TOKEN_URL must name the server started with socketio.allowQueryToken=true');
  return QUERY_TOKEN_URL;
}

/** Asserts what every refusal at connection looks like, and returns the invalidToken body. */
function assertRefusedAtConnect(outcome, reason) {
  const { body, reason: disconnectReason, client } = outcome;
  assert.equal(body.reason, reason, `invalidToken ${JSON.stringify(body)}`);
  assert.equal(typeof body.message, 'string');
  assert.ok(!('packetId' in body), 'no packet caused it, so no packetId');
  assert.equal(disconnectReason, 'io server disconnect');
  const names = client.names();
  assert.ok(names.indexOf('invalidToken') < names.indexOf('disconnect'), `invalidToken before disconnect: ${names}`);
  assert.deepEqual(
    names.filter((n) => !['connect', 'invalidToken', 'disconnect'].includes(n)),
    [],
    'a refused socket receives nothing but invalidToken (no fPacket, nothing else)',
  );
  assert.equal(client.socket.connected, false);
}

describe('a valid token connects', () => {
  for (const { name, options } of TRANSPORTS) {
    test(`${name}: a valid auth.token connects and a packet sent on it is confirmed`, async () => {
      const user = newUser();
      const client = await connectAs(user, options);
      const p = packet();
      const answer = await client.send(p);
      assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
      assert.equal(answer.data.status, 'stored');
      assert.equal(client.socket.connected, true);
      assert.deepEqual(client.received('invalidToken'), []);
    });
  }

  for (const { name, options } of TRANSPORTS) {
    test(`${name}: a packet emitted from the connect handler is confirmed (20 connections)`, async () => {
      // What the extension does: resend what is unconfirmed as soon as it is connected.
      const failures = [];
      for (let i = 0; i < 20; i++) {
        const client = open({ auth: { token: tokenFor(newUser()) }, ...options });
        const p = packet();
        client.socket.on('connect', () => client.socket.emit('packet', p));
        const answer = await client.answerTo(p.packetId);
        if (answer.event !== 'confirmation') {
          failures.push(`${answer.event} ${JSON.stringify(answer.data)}`);
        }
        client.close();
      }
      assert.deepEqual(failures, []);
    });
  }
});

// Each case: the contract's reason, a description, and the io() options that present the token.
const now = () => Math.floor(Date.now() / 1000);
const REFUSALS = [
  ['missing', 'no auth at all', () => ({})],
  ['missing', 'auth without a token field', () => ({ auth: {} })],
  ['missing', 'an empty-string auth.token', () => ({ auth: { token: '' } })],
  ['malformed', 'a token of two segments', () => ({ auth: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImEifQ' } })],
  ['malformed', 'a token of one segment', () => ({ auth: { token: 'not-a-jwt' } })],
  ['malformed', 'a token of four segments', () => ({ auth: { token: `${tokenFor(newUser())}.extra` } })],
  ['malformed', 'a header that is not JSON', () => ({ auth: { token: mintToken({ username: newUser(), rawHeader: base64url('not json') }) } })],
  ['malformed', 'a payload that is not JSON', () => ({ auth: { token: mintToken({ rawPayload: base64url('{"username": "broken') }) } })],
  ['invalid', 'a bad signature', () => ({ auth: { token: mintToken({ username: newUser(), secret: 'another-secret-0123456789abcdef-0123456789-xyz' }) } })],
  ['invalid', 'a tampered payload', () => {
    const [h, , s] = tokenFor(newUser()).split('.');
    return { auth: { token: `${h}.${base64url({ username: newUser(), exp: now() + 900 })}.${s}` } };
  }],
  ['invalid', 'alg "none" with an empty signature', () => ({ auth: { token: mintToken({ username: newUser(), alg: 'none' }) } })],
  ['invalid', 'alg "none" with an HS256 signature', () => {
    const token = mintToken({ username: newUser(), alg: 'none' });
    return { auth: { token: `${token}${mintToken({ username: newUser() }).split('.')[2]}` } };
  }],
  ['invalid', 'an HS512 token signed with the shared secret', () => ({ auth: { token: mintToken({ username: newUser(), alg: 'HS512' }) } })],
  ['invalid', 'an HS384 token signed with the shared secret', () => ({ auth: { token: mintToken({ username: newUser(), alg: 'HS384' }) } })],
  ['invalid', 'nbf in the future', () => ({ auth: { token: mintToken({ username: newUser(), claims: { nbf: now() + 3600 } }) } })],
  ['invalid', 'no username and no sub claim', () => ({ auth: { token: mintToken({ claims: { name: 'someone' } }) } })],
  ['invalid', 'a numeric username claim', () => ({ auth: { token: mintToken({ claims: { username: 12345 } }) } })],
  ['invalid', 'a numeric sub claim and no username', () => ({ auth: { token: mintToken({ claims: { sub: 12345 } }) } })],
  ['invalid', 'an empty username claim', () => ({ auth: { token: mintToken({ claims: { username: '' } }) } })],
  ['expired', 'exp in the past', () => ({ auth: { token: expiredTokenFor(newUser()) } })],
];

for (const { name: transportName, options: transportOptions } of TRANSPORTS) {
  describe(`invalidToken at connection, ${transportName}`, () => {
    for (const [reason, description, optionsFor] of REFUSALS) {
      test(`${description} gets invalidToken "${reason}" and a server disconnect, and nothing else`, async () => {
        const outcome = await refused({ ...transportOptions, ...optionsFor() });
        assertRefusedAtConnect(outcome, reason);
      });
    }
  });
}

describe('where the token comes from', () => {
  test('a good Authorization: Bearer header connects without auth (websocket)', async () => {
    const user = newUser();
    const client = await connect({ transports: ['websocket'], extraHeaders: { Authorization: `Bearer ${tokenFor(user)}` } });
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });

  test('a good Authorization: Bearer header connects without auth (polling)', async () => {
    const user = newUser();
    const client = await connect({ transports: ['polling'], extraHeaders: { Authorization: `Bearer ${tokenFor(user)}` } });
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });

  test('the Authorization header identifies the user: its packets reach that user\'s other sockets', async () => {
    const user = newUser();
    const listener = await connectAs(user);
    const client = await connect({ transports: ['websocket'], extraHeaders: { Authorization: `Bearer ${tokenFor(user)}` } });
    const p = packet();
    await client.store(p);
    const forwarded = await listener.next('fPacket');
    assert.equal(forwarded.packetId, p.packetId);
  });

  test('a bad auth.token is refused even with a good Authorization header (auth.token alone counts)', async () => {
    const user = newUser();
    const outcome = await refused({
      transports: ['websocket'],
      auth: { token: mintToken({ username: user, secret: 'wrong-secret-0123456789abcdef-0123456789-abc' }) },
      extraHeaders: { Authorization: `Bearer ${tokenFor(user)}` },
    });
    assertRefusedAtConnect(outcome, 'invalid');
  });

  test('an expired auth.token is refused even with a good Authorization header', async () => {
    const user = newUser();
    const outcome = await refused({
      transports: ['websocket'],
      auth: { token: expiredTokenFor(user) },
      extraHeaders: { Authorization: `Bearer ${tokenFor(user)}` },
    });
    assertRefusedAtConnect(outcome, 'expired');
  });

  test('a bad Authorization header without auth is refused', async () => {
    const outcome = await refused({
      transports: ['websocket'],
      extraHeaders: { Authorization: `Bearer ${expiredTokenFor(newUser())}` },
    });
    assertRefusedAtConnect(outcome, 'expired');
  });

  test('a token query parameter is ignored where allowQueryToken is off: invalidToken "missing"', async () => {
    const outcome = await refused({ query: { token: tokenFor(newUser()) } });
    assertRefusedAtConnect(outcome, 'missing');
  });

  test('a token query parameter is ignored where allowQueryToken is off (websocket)', async () => {
    const outcome = await refused({ transports: ['websocket'], query: { token: tokenFor(newUser()) } });
    assertRefusedAtConnect(outcome, 'missing');
  });

  for (const { name, options } of TRANSPORTS) {
    test(`a token query parameter connects where allowQueryToken is on (${name})`, async () => {
      const client = await connect({ url: queryTokenUrl(), query: { token: tokenFor(newUser()) }, ...options });
      const answer = await client.send(packet());
      assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
    });
  }

  test('a bad token query parameter is refused where allowQueryToken is on', async () => {
    const outcome = await refused({ url: queryTokenUrl(), query: { token: expiredTokenFor(newUser()) } });
    assertRefusedAtConnect(outcome, 'expired');
  });

  test('a bad auth.token is refused even with a good token query parameter where allowQueryToken is on', async () => {
    const user = newUser();
    const outcome = await refused({
      url: queryTokenUrl(),
      auth: { token: mintToken({ username: user, alg: 'none' }) },
      query: { token: tokenFor(user) },
    });
    assertRefusedAtConnect(outcome, 'invalid');
  });

  test('auth.token still works where allowQueryToken is on', async () => {
    const client = await connectAs(newUser(), { url: queryTokenUrl() });
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });
});

describe('the username claim', () => {
  test('a token with sub and no username connects as sub', async () => {
    const user = newUser();
    const listener = await connectAs(user);
    const client = await connect({ auth: { token: mintToken({ claims: { sub: user } }) } });
    const p = packet();
    await client.store(p);
    const forwarded = await listener.next('fPacket');
    assert.equal(forwarded.packetId, p.packetId);
  });

  test('username takes precedence over sub', async () => {
    const user = newUser();
    const other = newUser();
    const userListener = await connectAs(user);
    const otherListener = await connectAs(other);
    const client = await connect({ auth: { token: mintToken({ username: user, claims: { sub: other } }) } });
    const p = packet();
    await client.store(p);
    assert.equal((await userListener.next('fPacket')).packetId, p.packetId);
    assert.deepEqual(await otherListener.quietly('fPacket'), []);
  });

  test('the username need not exist in notesync: any validly signed username connects', async () => {
    const client = await connectAs(`never-registered-${newUser()}`);
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });
});

describe("a socket's authority lasts until its token's exp", () => {
  test('when exp passes, the socket gets invalidToken "expired" within a second, then a server disconnect', async () => {
    const user = newUser();
    const exp = Math.floor(Date.now() / 1000) + 2;
    const client = await connect({ transports: ['websocket'], auth: { token: mintToken({ username: user, claims: { exp } }) } });
    const invalid = await client.waitFor('invalidToken', { timeout: 5000 });
    assert.equal(invalid.data.reason, 'expired');
    assert.ok(invalid.at >= exp * 1000 - 50, `invalidToken ${exp * 1000 - invalid.at} ms before exp`);
    assert.ok(invalid.at <= exp * 1000 + 1250, `invalidToken ${invalid.at - exp * 1000} ms after exp`);
    const disconnect = await client.waitFor('disconnect', { timeout: 5000 });
    assert.equal(disconnect.data, 'io server disconnect');
  });

  test('a packet carrying a newer accessToken keeps the socket authorised past its first exp', async () => {
    const user = newUser();
    const exp = Math.floor(Date.now() / 1000) + 2;
    const client = await connect({ transports: ['websocket'], auth: { token: mintToken({ username: user, claims: { exp } }) } });
    await client.store(packet({ accessToken: tokenFor(user) }));
    await sleep(Math.max(0, exp * 1000 + 1500 - Date.now()));
    assert.deepEqual(client.received('invalidToken'), []);
    assert.equal(client.socket.connected, true);
    const answer = await client.send(packet());
    assert.equal(answer.event, 'confirmation', JSON.stringify(answer.data));
  });
});
