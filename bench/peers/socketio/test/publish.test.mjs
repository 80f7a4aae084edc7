import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mintAgentToken } from '../jwt.mjs';
import { connect, post, realtimeEvent, SECRET, startRelay } from './support.mjs';

async function subscribers(url, empresaId, count) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const { socket, data } = await connect(url, mintAgentToken(SECRET, { sub: `u-${i}`, empresaId }));
    assert.ok(socket, `subscriber ${i} of ${empresaId} connected (${data?.reason})`);
    socket.received = [];
    socket.on('event', (event) => socket.received.push(event));
    sockets.push(socket);
  }
  return sockets;
}

function eventually(check, timeoutMs = 3000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('publish', () => {
  let server;
  let empresaA;
  let empresaB;
  before(async () => {
    server = await startRelay();
    empresaA = await subscribers(server.url, 'emp-a', 5);
    empresaB = await subscribers(server.url, 'emp-b', 3);
  });
  after(async () => {
    for (const socket of [...empresaA, ...empresaB]) socket.close();
    await server.relay.close();
  });

  test('shouldDeliverEventToEverySubscriberOfItsEmpresaAndNoneOfAnother', async () => {
    const event = realtimeEvent('emp-a', 'evt-a-1');
    const answer = await post(server.url, JSON.stringify(event));
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, { empresaId: 'emp-a', subscribers: 5 });
    await eventually(() => empresaA.every((socket) => socket.received.length === 1));
    for (const socket of empresaA) assert.deepEqual(socket.received[0], event);
    // Copies to one socket keep the order of the publishes: B's subscribers reading B's event first proves A's
    // event was never sent to them.
    assert.equal((await post(server.url, JSON.stringify(realtimeEvent('emp-b', 'evt-b-1')))).status, 202);
    await eventually(() => empresaB.every((socket) => socket.received.length >= 1));
    for (const socket of empresaB) assert.deepEqual(socket.received.map((e) => e.id), ['evt-b-1']);
    assert.ok(empresaA.every((socket) => socket.received.length === 1), 'A did not get B\'s event');
  });

  test('shouldAnswerPublishToEmpresaWithoutSubscribersWithZero', async () => {
    const answer = await post(server.url, JSON.stringify(realtimeEvent('emp-nobody', 'evt-n')));
    assert.deepEqual([answer.status, answer.body.subscribers], [202, 0]);
  });

  const malformed = [
    ['shouldRefuseBodyThatIsNotJson', '{"id":', /^body is not JSON/],
    ['shouldRefuseEmptyBody', '', /^body is not JSON/],
    ['shouldRefuseJsonArray', '[]', /^body must be a JSON object$/],
    ['shouldRefuseJsonNull', 'null', /^body must be a JSON object$/],
    ['shouldRefuseMissingId', JSON.stringify({ ...realtimeEvent('emp-a', 'x'), id: undefined }), /^id must be/],
    ['shouldRefuseIdOfWrongType', JSON.stringify(realtimeEvent('emp-a', 7)), /^id must be/],
    ['shouldRefuseMissingEmpresaId', JSON.stringify(realtimeEvent('', 'x')), /^empresaId must be/],
    ['shouldRefuseEmpresaIdWithColon', JSON.stringify(realtimeEvent('emp:a', 'x')), /^empresaId must not contain ':'$/],
    ['shouldRefuseEmpresaIdWithNul', JSON.stringify(realtimeEvent('emp-a\u0000', 'x')), /^empresaId must not contain NUL$/],
    ['shouldRefuseHugeEmpresaId', JSON.stringify(realtimeEvent('e'.repeat(10_000), 'x')), /^empresaId is longer than 200/],
    ['shouldRefuseMissingType', JSON.stringify(realtimeEvent('emp-a', 'x', { type: null })), /^type must be/],
    ['shouldRefuseChannelsThatAreNotAnArray', JSON.stringify(realtimeEvent('emp-a', 'x', { channels: 'empresa:emp-a' })), /^channels must be/],
    ['shouldRefuseEmptyChannels', JSON.stringify(realtimeEvent('emp-a', 'x', { channels: [] })), /^channels must be/],
    ['shouldRefuseChannelOfWrongType', JSON.stringify(realtimeEvent('emp-a', 'x', { channels: [1] })), /^channels must be/],
    ['shouldRefuseChannelWithNul', JSON.stringify(realtimeEvent('emp-a', 'x', { channels: ['empresa:emp-a\u0000'] })), /^channels must be/],
    ['shouldRefuseTooManyChannels', JSON.stringify(realtimeEvent('emp-a', 'x', { channels: Array.from({ length: 51 }, (_, i) => `c${i}`) })), /^channels must be/],
    ['shouldRefuseNullData', JSON.stringify(realtimeEvent('emp-a', 'x', { data: null })), /^data must be a JSON object$/],
    ['shouldRefuseArrayData', JSON.stringify(realtimeEvent('emp-a', 'x', { data: [] })), /^data must be a JSON object$/],
    ['shouldRefuseTsThatIsNotAnInstant', JSON.stringify(realtimeEvent('emp-a', 'x', { ts: 'yesterday' })), /^ts must be/],
    ['shouldRefuseNumericTs', JSON.stringify(realtimeEvent('emp-a', 'x', { ts: 1700000000 })), /^ts must be/],
  ];
  for (const [name, body, reason] of malformed) {
    test(name, async () => {
      const answer = await post(server.url, body);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'bad_event');
      assert.match(answer.body.reason, reason);
    });
  }

  test('shouldRefuseBodyAboveOneMegabyteWith413', async () => {
    const answer = await post(server.url, JSON.stringify(realtimeEvent('emp-a', 'big', { data: { text: 'x'.repeat(2_000_000) } })));
    assert.equal(answer.status, 413);
    assert.match(answer.body.reason, /^body larger than 1048576 bytes$/);
  });

  test('shouldRefuseOtherContentTypeWith415', async () => {
    const answer = await post(server.url, JSON.stringify(realtimeEvent('emp-a', 'x')), 'text/plain');
    assert.equal(answer.status, 415);
    assert.match(answer.body.reason, /application\/json/);
  });

  test('shouldRefuseGetOnPublishWith405', async () => {
    const response = await fetch(new URL('/publish', server.url));
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });

  test('shouldAnswerUnknownPathWith404', async () => {
    const response = await fetch(new URL('/nope', server.url));
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'not_found');
  });

  test('shouldStillDeliverAfterMalformedPublishes', async () => {
    for (const socket of empresaA) socket.received.length = 0;
    assert.equal((await post(server.url, '{broken')).status, 400);
    assert.equal((await post(server.url, JSON.stringify({ ...realtimeEvent('emp-a', 'x'), empresaId: 42 }))).status, 400);
    const answer = await post(server.url, JSON.stringify(realtimeEvent('emp-a', 'evt-a-after')));
    assert.deepEqual([answer.status, answer.body.subscribers], [202, 5]);
    await eventually(() => empresaA.every((socket) => socket.received.length === 1));
    assert.ok(empresaA.every((socket) => socket.received[0].id === 'evt-a-after'), 'only the valid event was delivered');
  });

  test('shouldReportHealthWithConnectionCountAndMemory', async () => {
    const response = await fetch(new URL('/health', server.url));
    assert.equal(response.status, 200);
    const health = await response.json();
    assert.deepEqual([health.status, health.connections], ['UP', 8]);
    assert.ok(health.rss > health.heapUsed && health.heapUsed > 0, JSON.stringify(health));
  });
});
