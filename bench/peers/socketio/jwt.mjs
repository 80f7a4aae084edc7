// HS256 agent tokens as chat-central's gateway checks them (docs/protocol.md, "Token"), so the peer does the same
// work per handshake: signature, iss, aud, exp/nbf with clock skew, sub, empresaId and roles.
import { createHmac, timingSafeEqual } from 'node:crypto';

// Far above any real agent token (a few hundred bytes), far below what would make a refusal costly.
export const MAX_TOKEN_LENGTH = 8192;
const ROLES = new Set(['atendente', 'supervisor', 'admin']);
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export class TokenError extends Error {}

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

export function sign(claims, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

function decodeJson(segment, what) {
  let value;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError(`malformed token: ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenError(`malformed token: ${what} is not a JSON object`);
  }
  return value;
}

function identifier(claims, name) {
  const value = claims[name];
  if (typeof value !== 'string' || value.trim() === '') throw new TokenError(`missing claim ${name}`);
  if (value.includes(':')) throw new TokenError(`claim ${name} must not contain ':'`);
  return value;
}

/**
 * Returns {sub, empresaId} of a valid token, or throws a TokenError whose message is the reason, worded without the
 * token itself.
 * options: {secret: Buffer|string, issuers: string[], audiences: string[], clockSkewSeconds, nowSeconds}
 */
export function verify(token, options) {
  if (typeof token !== 'string' || token === '') throw new TokenError('no token');
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenError(`token longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw new TokenError('malformed token: not three base64url segments');
  }
  const header = decodeJson(parts[0], 'header');
  if (header.alg !== 'HS256') throw new TokenError(`algorithm ${String(header.alg)} not accepted`);
  const expected = createHmac('sha256', options.secret).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2], 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new TokenError('bad signature');
  }
  const claims = decodeJson(parts[1], 'payload');
  const now = options.nowSeconds ?? Date.now() / 1000;
  const skew = options.clockSkewSeconds ?? 30;
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw new TokenError('missing claim exp');
  if (now > claims.exp + skew) {
    throw new TokenError(`token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number' || !Number.isFinite(claims.nbf)) throw new TokenError('claim nbf is not a number');
    if (now < claims.nbf - skew) throw new TokenError(`token not valid before ${new Date(claims.nbf * 1000).toISOString()}`);
  }
  if (typeof claims.iss !== 'string' || !options.issuers.includes(claims.iss)) throw new TokenError('issuer not accepted');
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (!Array.isArray(audiences) || !audiences.some((aud) => options.audiences.includes(aud))) {
    throw new TokenError('audience not accepted');
  }
  const sub = identifier(claims, 'sub');
  const empresaId = identifier(claims, 'empresaId');
  if (!Array.isArray(claims.roles) || !claims.roles.some((role) => ROLES.has(role))) {
    throw new TokenError('claim roles names none of atendente, supervisor, admin');
  }
  return { sub, empresaId };
}

/** A token as chat-central's development identity provider mints it (test-support AgentTokens). */
export function mintAgentToken(secret, { sub = 'user-1', empresaId = 'emp-1', ttlSeconds = 3600, ...extra } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return sign({
    iss: 'chat-central-dev', aud: 'chat-central', sub, empresaId, roles: ['atendente'], name: `Atendente ${sub}`,
    iat: now, exp: now + ttlSeconds, ...extra,
  }, secret);
}
