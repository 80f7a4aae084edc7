import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mintAgentToken, sign, TokenError, verify } from '../jwt.mjs';
import { Manager } from 'socket.io-client';
import { connect, SECRET, startRelay } from './support.mjs';

const OPTIONS = { secret: SECRET, issuers: ['chat-central-dev'], audiences: ['chat-central'] };
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra = {}) => ({
  iss: 'chat-central-dev', aud: 'chat-central', sub: 'user-1', empresaId: 'emp-1', roles: ['atendente'],
  exp: now() + 600, ...extra,
});

describe('verify', () => {
  test('shouldAcceptTokenOfChatCentralsDevelopmentIdentityProvider', () => {
    assert.deepEqual(verify(mintAgentToken(SECRET, { sub: 'u-9', empresaId: 'emp-9' }), OPTIONS), { sub: 'u-9', empresaId: 'emp-9' });
  });

  test('shouldAcceptTokenExpiredLessThanTheClockSkewAgo', () => {
    assert.equal(verify(sign(claims({ exp: now() - 10 }), SECRET), OPTIONS).empresaId, 'emp-1');
  });

  const refusals = [
    ['shouldRefuseExpiredToken', () => sign(claims({ exp: now() - 120 }), SECRET), /^token expired at \d{4}-/],
    ['shouldRefuseTokenBeforeItsNbf', () => sign(claims({ nbf: now() + 120 }), SECRET), /not valid before/],
    ['shouldRefuseWrongSignature', () => sign(claims(), 'another-secret-of-at-least-32-bytes!!'), /^bad signature$/],
    ['shouldRefuseMissingEmpresaClaim', () => sign(claims({ empresaId: undefined }), SECRET), /^missing claim empresaId$/],
    ['shouldRefuseBlankEmpresaClaim', () => sign(claims({ empresaId: '  ' }), SECRET), /^missing claim empresaId$/],
    ['shouldRefuseEmpresaOfWrongType', () => sign(claims({ empresaId: 42 }), SECRET), /^missing claim empresaId$/],
    ['shouldRefuseEmpresaWithColon', () => sign(claims({ empresaId: 'emp:1' }), SECRET), /must not contain ':'/],
    ['shouldRefuseMissingSub', () => sign(claims({ sub: undefined }), SECRET), /^missing claim sub$/],
    ['shouldRefuseMissingExp', () => sign(claims({ exp: undefined }), SECRET), /^missing claim exp$/],
    ['shouldRefuseRolesWithoutAgentRole', () => sign(claims({ roles: ['guest'] }), SECRET), /claim roles/],
    ['shouldRefuseOtherIssuer', () => sign(claims({ iss: 'someone-else' }), SECRET), /^issuer not accepted$/],
    ['shouldRefuseOtherAudience', () => sign(claims({ aud: ['other-app'] }), SECRET), /^audience not accepted$/],
    ['shouldRefuseAlgorithmNone', () => sign(claims(), SECRET, { alg: 'none' }), /^algorithm none not accepted$/],
    ['shouldRefuseHs512', () => sign(claims(), SECRET, { alg: 'HS512' }), /^algorithm HS512 not accepted$/],
    ['shouldRefuse100KbToken', () => 'a'.repeat(100 * 1024), /^token longer than 8192 characters$/],
    ['shouldRefuseNulInToken', () => `${sign(claims(), SECRET)}\u0000`, /^malformed token/],
    ['shouldRefuseNulInsideSegment', () => sign(claims(), SECRET).replace('.', '\u0000.'), /^malformed token/],
    ['shouldRefuseTwoSegments', () => 'abc.def', /^malformed token/],
    ['shouldRefuseEmptyToken', () => '', /^no token$/],
    ['shouldRefuseNonStringToken', () => 12345, /^no token$/],
    ['shouldRefusePayloadThatIsNotJson', () => {
      const token = sign(claims(), SECRET).split('.');
      return sign(claims(), SECRET).replace(token[1], Buffer.from('not json').toString('base64url'));
    }, /bad signature|malformed token/],
  ];
  for (const [name, token, reason] of refusals) {
    test(name, () => assert.throws(() => verify(token(), OPTIONS), (e) => e instanceof TokenError && reason.test(e.message)));
  }
});

describe('handshake', () => {
  let server;
  before(async () => { server = await startRelay(); });
  after(() => server.relay.close());

  test('shouldJoinTheRoomOfTheTokensEmpresa', async () => {
    const { socket } = await connect(server.url, mintAgentToken(SECRET, { empresaId: 'emp-7' }));
    assert.ok(socket, 'connected');
    const member = server.relay.io.sockets.sockets.get(socket.id);
    assert.deepEqual([...member.rooms].filter((room) => room.startsWith('empresa:')), ['empresa:emp-7']);
    socket.close();
  });

  const refusals = [
    ['shouldRefuseExpiredTokenWithConnectError', () => mintAgentToken(SECRET, { ttlSeconds: -3600 }), /^token expired at/],
    ['shouldRefuseWrongSignatureWithConnectError', () => mintAgentToken('another-secret-of-at-least-32-bytes!!'), /^bad signature$/],
    ['shouldRefuseMissingEmpresaWithConnectError', () => sign(claims({ empresaId: undefined }), SECRET), /^missing claim empresaId$/],
    ['shouldRefuse100KbTokenWithConnectError', () => 'a'.repeat(100 * 1024), /^token longer than/],
    ['shouldRefuseNulTokenWithConnectError', () => '\u0000', /^malformed token/],
    ['shouldRefuseMissingTokenWithConnectError', () => undefined, /^no token$/],
    ['shouldRefuseObjectTokenWithConnectError', () => ({ token: 'x' }), /^no token$/],
  ];
  for (const [name, token, reason] of refusals) {
    test(name, async () => {
      const result = await connect(server.url, token());
      assert.equal(result.socket, undefined);
      assert.equal(result.refusal, 'unauthorized');
      assert.match(result.data.reason, reason);
    });
  }

  test('shouldCloseTransportOfHandshakeAboveMaxHttpBufferSizeAndStillServeOthers', async () => {
    const result = await connect(server.url, 'a'.repeat(2_000_000));
    assert.equal(result.socket, undefined);
    assert.match(result.refusal, /transport close/);
    const { socket } = await connect(server.url, mintAgentToken(SECRET, { empresaId: 'emp-2' }));
    assert.ok(socket, 'a valid client still connects');
    socket.close();
  });

  test('shouldLetNoRefusedClientIntoTheRooms', async () => {
    await connect(server.url, 'bad');
    assert.equal(server.relay.io.sockets.adapter.rooms.get('empresa:emp-1')?.size ?? 0, 0);
  });
});

test('shouldCloseEngineConnectionThatNeverSendsItsHandshake', async () => {
  const server = await startRelay({ connectTimeout: 200 });
  try {
    // A Manager opens the Engine.IO connection without connecting any namespace, as a hostile client would.
    const manager = new Manager(server.url, { transports: ['websocket'], reconnection: false, autoConnect: false });
    const closed = new Promise((resolve) => manager.once('close', resolve));
    manager.open();
    const started = Date.now();
    await closed;
    assert.ok(Date.now() - started < 5000, 'closed by the connect timeout, not the default 10 s');
    assert.equal(server.relay.io.engine.clientsCount, 0);
  } finally {
    await server.relay.close();
  }
});

test('shouldRefuseToStartWithShortSecret', async () => {
  await assert.rejects(async () => startRelay({ secret: 'short' }), /at least 32 bytes/);
});
