/** SSE and long-poll: the fallbacks after the WebSocket, with the same API, and the way back to the WebSocket. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeEvent } from '../src/protocol/events.js';
import { EMPRESA, USER, event, fakeFetch, json, jwt, makeClient, settle, sseStream, type FakeRequest } from './fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const OWN = `atendente:${USER}`;
const EMP = `empresa:${EMPRESA}`;
const PRES = `presence:${EMPRESA}`;
const data = { conversaId: 'c', mensagemId: 'm', status: 'READ' };
const connectedFrame = () => ({ type: 'connected', sessionId: 's', userId: USER, empresaId: EMPRESA, node: 'n', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
const query = (request: FakeRequest) => ({ channels: request.url.searchParams.getAll('channel'), since: request.url.searchParams.get('since') });

/** Moves the clock to the next attempt, if one is planned. */
async function untilRetry(client: { state: { retryAt: number | null } }) {
  if (client.state.retryAt !== null) await vi.advanceTimersByTimeAsync(client.state.retryAt - Date.now());
  await settle();
}

async function openStream(http: ReturnType<typeof fakeFetch>) {
  await settle();
  const stream = sseStream();
  const request = http.next('/realtime/sse');
  request.respond(stream.response);
  await settle();
  return { stream, request };
}

describe('falling back', () => {
  it('goes to SSE after the WebSocket failed its attempts, with the same subscriptions and events', async () => {
    const token = jwt();
    const { client, sockets, http } = makeClient({ token });
    const events: RealtimeEvent[] = [];
    client.subscribe(EMP, (e) => events.push(e));
    client.connect();
    await settle();
    for (let i = 0; i < 6; i++) {
      sockets.last().fail();
      await untilRetry(client);
    }
    expect(sockets.sockets).toHaveLength(6);
    const { stream, request } = await openStream(http);
    expect(query(request)).toEqual({ channels: [EMP, OWN], since: null });
    expect(request.headers).toMatchObject({ Authorization: `Bearer ${token}`, Accept: 'text/event-stream' });
    expect(request.url.searchParams.has('token')).toBe(false);
    stream.send(connectedFrame());
    stream.send({ type: 'subscribed', channel: EMP, position: 500 });
    stream.send({ type: 'subscribed', channel: OWN, position: 500 });
    stream.send(event('message_status', EMP, 501, data));
    stream.comment();
    stream.send(event('message_status', EMP, 501, data));
    await settle();
    expect(client.state).toMatchObject({ status: 'connected', transport: 'sse' });
    expect(events.map((e) => e.position)).toEqual([501]);
    // the stream ends as a WebSocket would be closed: 1012, reconnect at once with the shared since
    stream.send({ type: 'closing', code: 1012, reason: 'service restart' });
    stream.end();
    await settle();
    const { request: again } = await openStream(http);
    expect(query(again)).toEqual({ channels: [EMP, OWN], since: '500' });
    client.close();
  });

  it('goes to long-poll after SSE failed too, and polls from the position of each answer', async () => {
    const { client, http } = makeClient({ transports: ['sse', 'poll'] });
    const events: RealtimeEvent[] = [];
    client.subscribe(EMP, (e) => events.push(e));
    const presence = client.presence();
    client.connect();
    for (let i = 0; i < 6; i++) {
      await settle();
      http.next('/realtime/sse').respond(json({ error: 'max_connections', reason: 'full' }, 503, { 'Retry-After': '5' }));
      await settle();
      if (i < 5) expect(client.state.retryAt! - Date.now()).toBeGreaterThanOrEqual(5000);
      await untilRetry(client);
    }
    expect(client.state.transport).toBe('poll');
    const first = http.next('/realtime/poll');
    expect(query(first)).toEqual({ channels: [EMP, PRES, OWN], since: null });
    first.respond(json({
      events: [{ type: 'presence_snapshot', channel: PRES, data: { empresaId: EMPRESA, online: [{ userId: 'u-1', name: 'A', status: 'disponivel', since: 't' }], count: 1, version: 4, ts: 't' } }],
      position: 700,
    }));
    await settle();
    expect(client.state).toMatchObject({ status: 'connected', transport: 'poll', session: null });
    expect(presence.onlineUsers.map((u) => u.userId)).toEqual(['u-1']);
    const held = http.next('/realtime/poll');
    expect(query(held).since).toBe('700');
    held.respond(json({ events: [event('message_status', EMP, 705, data), event('message_status', EMP, 705, data)], position: 710, recovered: true }));
    await settle();
    expect(events.map((e) => e.position)).toEqual([705]);
    expect(query(http.next('/realtime/poll')).since).toBe('710');
    expect(client.positionsHeld()).toEqual({ [EMP]: 710, [OWN]: 710, [PRES]: 710 });
    client.close();
  });

  it('long-poll: keeps the positions it had and replays from them; a new channel is positioned first', async () => {
    const { client, http } = makeClient({ transports: ['poll'] });
    client.subscribe(EMP, () => {}, { since: 400 });
    client.connect();
    await settle();
    // the first request proves the session and positions only the channels without a position
    http.next('/realtime/poll').respond(json({ events: [], position: 450 }));
    await settle();
    const replay = http.next('/realtime/poll');
    expect(query(replay)).toEqual({ channels: [EMP, OWN], since: '400' });
    client.subscribe(`conversa:c`, () => {});
    await settle();
    expect(replay.signal?.aborted).toBe(true);
    const prime = http.next('/realtime/poll');
    expect(query(prime)).toEqual({ channels: ['conversa:c'], since: null });
    prime.respond(json({ events: [], position: 460 }));
    await settle();
    expect(query(http.next('/realtime/poll'))).toEqual({ channels: [EMP, OWN, 'conversa:c'], since: '400' });
    client.close();
  });

  it('long-poll: an answer with recovered false asks the app to reload its channels', async () => {
    const { client, http } = makeClient({ transports: ['poll'] });
    const resyncs: unknown[] = [];
    client.on('resync', (r) => resyncs.push(r));
    client.subscribe(EMP, () => {}, { since: 3 });
    client.connect();
    await settle();
    http.next('/realtime/poll').respond(json({ events: [], position: 9000 }));
    await settle();
    http.next('/realtime/poll').respond(json({ events: [], position: 9000, recovered: false }));
    await settle();
    // one since served every channel: each of them may have lost events
    expect(resyncs).toEqual([{ channel: EMP, position: 9000 }, { channel: OWN, position: 9000 }]);
    client.close();
  });
});

describe('refusals over HTTP', () => {
  it('drops a channel the server refuses and opens the stream again without it', async () => {
    const { client, http } = makeClient({ transports: ['sse'] });
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    client.subscribe('empresa:emp-2', () => {});
    client.connect();
    await settle();
    http.next('/realtime/sse').respond(json({ error: 'forbidden', reason: 'another empresa', channel: 'empresa:emp-2' }, 403));
    const { request } = await openStream(http);
    expect(query(request).channels).toEqual([OWN]);
    expect(errors).toEqual([{ type: 'error', code: 'forbidden', message: 'another empresa', channel: 'empresa:emp-2' }]);
    client.close();
  });

  it('answers a 401 with a new token from the callback', async () => {
    const provider = vi.fn((reason: string) => jwt({ reason }));
    const { client, http } = makeClient({ transports: ['poll'], token: provider });
    client.connect();
    await settle();
    http.next('/realtime/poll').respond(json({ error: 'unauthorized', reason: 'expired' }, 401));
    await settle();
    expect(provider.mock.calls.map((c) => c[0])).toEqual(['connect', 'expired']);
    expect(http.next('/realtime/poll').headers.Authorization).toBe(`Bearer ${jwt({ reason: 'expired' })}`);
    client.close();
  });

  it('stops on a refusal that names no channel (origin not allowed)', async () => {
    const { client, http } = makeClient({ transports: ['sse'] });
    client.connect();
    await settle();
    http.next('/realtime/sse').respond(new Response(null, { status: 403 }));
    await settle();
    expect(client.state).toMatchObject({ status: 'failed', error: expect.stringContaining('HTTP 403') });
    client.close();
  });

  it('leaves an SSE stream that went silent and opens a new one', async () => {
    const { client, http } = makeClient({ transports: ['sse'] });
    client.connect();
    const { stream } = await openStream(http);
    stream.send(connectedFrame());
    await settle();
    await vi.advanceTimersByTimeAsync(59_000);
    stream.comment();
    await settle();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(client.state.status).toBe('connected');
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.state).toMatchObject({ status: 'reconnecting', lastClose: { reason: 'the stream stalled' } });
    client.close();
  });
});

describe('returning to the WebSocket', () => {
  it('tries the WebSocket while on SSE; when it gets a session it takes over and resumes', async () => {
    const { client, sockets, http } = makeClient({ reconnect: { maxAttempts: 0 }, stallTimeoutMs: 600_000 });
    const events: RealtimeEvent[] = [];
    client.subscribe(EMP, (e) => events.push(e));
    client.connect();
    await settle();
    sockets.last().fail();
    const { stream, request } = await openStream(http);
    stream.send(connectedFrame());
    stream.send({ type: 'subscribed', channel: EMP, position: 10 });
    stream.send({ type: 'subscribed', channel: OWN, position: 10 });
    stream.send(event('message_status', EMP, 12, data));
    await settle();
    expect(client.state.transport).toBe('sse');
    // a first probe fails: still on SSE
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.sockets).toHaveLength(2);
    sockets.last().fail();
    expect(client.state).toMatchObject({ status: 'connected', transport: 'sse' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.sockets).toHaveLength(3);
    const socket = sockets.last().accept();
    expect(client.state).toMatchObject({ status: 'connected', transport: 'websocket' });
    expect(request.signal?.aborted).toBe(true);
    expect(socket.framesOf('subscribe')).toEqual([
      { type: 'subscribe', channel: EMP, since: 12 },
      { type: 'subscribe', channel: OWN, since: 10 },
    ]);
    // the replay overlaps: dropped
    socket.receive(event('message_status', EMP, 12, data));
    socket.receive(event('message_status', EMP, 13, data));
    expect(events.map((e) => e.position)).toEqual([12, 13]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sockets.sockets).toHaveLength(3);
    client.close();
  });
});
