// HS256 JWTs with node:crypto: minting for the load generator, verification for the baseline.
import { createHmac, timingSafeEqual } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function mint(secret, username, ttlSeconds = 3600) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ username, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

/** { username, exp } or { reason, message }. Pinned to HS256, exp required. */
export function verify(secret, token) {
  if (typeof token !== 'string' || token === '') return { reason: 'missing', message: 'no token' };
  const parts = token.split('.');
  if (parts.length !== 3) return { reason: 'malformed', message: 'not a JWT' };
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { reason: 'malformed', message: 'header or payload is not JSON' };
  }
  if (header.alg !== 'HS256') return { reason: 'invalid', message: 'algorithm not allowed' };
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { reason: 'invalid', message: 'bad signature' };
  }
  const now = Date.now() / 1000;
  if (typeof claims.nbf === 'number' && claims.nbf > now) return { reason: 'invalid', message: 'not yet valid' };
  if (typeof claims.exp !== 'number') return { reason: 'invalid', message: 'no exp' };
  if (claims.exp <= now) return { reason: 'expired', message: 'token expired' };
  const username = typeof claims.username === 'string' ? claims.username : claims.sub;
  if (typeof username !== 'string' || username === '') return { reason: 'invalid', message: 'no username' };
  return { username, exp: claims.exp };
}
