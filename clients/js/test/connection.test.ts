/** Reconnection: the backoff schedule, the fallback after it, and what each close code does (docs/protocol.md). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../src/client.js';
import { USER, event, jwt, makeClient, settle } from './fakes.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

const OWN = `atendente:${USER}`;

/** Connects over the fake WebSocket and answers the subscription of the user's own channel. */
async function connected(options: Parameters<typeof makeClient>[0] = {}) {
  const made = makeClient(options);
  made.client.connect();
  await settle();
  const socket = made.sockets.last().accept();
  socket.receive({ type: 'subscribed', channel: OWN, position: 100 });
  return { ...made, socket };
}

describe('backoff schedule', () => {
  it('waits a full-jitter delay below 1, 2, 4, 8, 16 s, then falls back to SSE after the 5th attempt', async () => {
    const { client, sockets, http } = makeClient({ random: () => 0.999 });
    client.connect();
    await settle();
    sockets.last().fail();
    for (const [i, cap] of [1000, 2000, 4000, 8000, 16_000].entries()) {
      const delay = Math.floor(0.999 * cap);
      expect(client.state).toMatchObject({ status: 'reconnecting', transport: 'websocket', attempt: i + 1 });
      expect(client.state.retryAt! - Date.now()).toBe(delay);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sockets.sockets).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      await settle();
      expect(sockets.sockets).toHaveLength(i + 2);
      sockets.last().fail();
    }
    await settle();
    expect(client.state).toMatchObject({ status: 'connecting', transport: 'sse', attempt: 0 });
    expect(http.requests.map((r) => r.url.pathname)).toEqual(['/realtime/sse']);
    client.close();
  });

  it('keeps every delay below min(30 s, base * 2^n) with real randomness', async () => {
    const { client, sockets } = makeClient({ random: Math.random, reconnect: { maxAttempts: 8 } });
    client.connect();
    await settle();
    for (let attempt = 0; attempt < 8; attempt++) {
      sockets.last().fail();
      const delay = client.state.retryAt! - Date.now();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(30_000, 1000 * 2 ** attempt));
      await vi.advanceTimersByTimeAsync(delay);
      await settle();
    }
    client.close();
  });

  it('ends in a terminal failed state when the last transport is exhausted, and stays there', async () => {
    const { client, sockets } = makeClient({ transports: ['websocket'] });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s));
    client.connect();
    await settle();
    for (let i = 0; i < 6; i++) {
      sockets.last().fail();
      await vi.advanceTimersByTimeAsync(30_000);
      await settle();
    }
    expect(sockets.sockets).toHaveLength(6);
    expect(client.state).toMatchObject({ status: 'failed', failure: 'unreachable' });
    expect(client.state.error).toMatch(/5 attempts/);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(sockets.sockets).toHaveLength(6);
    // the app may try again
    client.connect();
    await settle();
    expect(sockets.sockets).toHaveLength(7);
    client.close();
  });

  it('starts counting again after a session was established', async () => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(1011, 'boom');
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    sockets.last().accept();
    expect(client.state).toMatchObject({ status: 'connected', attempt: 0 });
    sockets.last().serverClose(1011, 'boom');
    expect(client.state.retryAt! - Date.now()).toBe(500);
    client.close();
  });

  it('gives up on a connection that gets no session within connectTimeoutMs', async () => {
    const { client, sockets } = makeClient();
    client.connect();
    await settle();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets.sockets[0]!.closedByClient).not.toBeNull();
    expect(client.state).toMatchObject({ status: 'reconnecting', lastClose: { code: 1006 } });
    client.close();
  });
});

describe("the browser's network", () => {
  it('ends the connection when the browser goes offline, and tries again at once when it is back', async () => {
    const network = new EventTarget();
    const { client, sockets, socket } = await connected({ network });
    network.dispatchEvent(new Event('offline'));
    expect(socket.closedByClient).not.toBeNull();
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1, lastClose: { code: 1006, reason: 'the browser went offline' } });
    expect(client.state.retryAt! - Date.now()).toBe(500);
    network.dispatchEvent(new Event('online'));
    await settle();
    expect(sockets.sockets).toHaveLength(2);
    expect(client.state).toMatchObject({ status: 'connecting', retryAt: null });
    sockets.last().accept();
    expect(client.state.status).toBe('connected');
    client.close();
  });

  it('keeps a command written offline and sends it once, with its commandId, when the network is back', async () => {
    const network = new EventTarget();
    const { client, sockets, socket } = await connected({ network, createCommandId: () => 'reply-1' });
    network.dispatchEvent(new Event('offline'));
    void client.command({ command: 'send_message', conversaId: 'c-1', text: 'Já volto' }).catch(() => undefined);
    await settle();
    expect(socket.framesOf('command')).toHaveLength(0);
    network.dispatchEvent(new Event('online'));
    await settle();
    const next = sockets.last().accept();
    await settle();
    expect(next.framesOf('command')).toEqual([expect.objectContaining({ commandId: 'reply-1', text: 'Já volto' })]);
    client.close();
  });

  it('stops listening to the network when closed', async () => {
    const network = new EventTarget();
    const { client, sockets } = await connected({ network });
    client.close();
    network.dispatchEvent(new Event('offline'));
    network.dispatchEvent(new Event('online'));
    await settle();
    expect(sockets.sockets).toHaveLength(1);
    expect(client.state.status).toBe('closed');
  });
});

describe('close codes', () => {
  it.each([1003, 1009])('%i: stops, no reconnection loop', async (code) => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(code, 'client bug');
    expect(client.state).toMatchObject({ status: 'failed', failure: 'refused' });
    expect(client.state.error).toContain(String(code));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(sockets.sockets).toHaveLength(1);
    client.close();
  });

  it('4001: asks the token callback for a new token and reconnects at once with it', async () => {
    const tokens = [jwt({ n: 1 }), jwt({ n: 2 })];
    const provider = vi.fn(async () => tokens.shift()!);
    const { client, sockets, socket } = await connected({ token: provider });
    expect(provider).toHaveBeenCalledWith('connect');
    socket.receive(event('message_status', OWN, 140, { conversaId: 'c', mensagemId: 'm', status: 'READ' }));
    socket.serverClose(4001, 'token expired');
    await settle();
    expect(provider).toHaveBeenLastCalledWith('expired');
    expect(sockets.sockets).toHaveLength(2);
    expect(sockets.last().protocols).toEqual(['chatcentral.v1', `bearer.${jwt({ n: 2 })}`]);
    sockets.last().accept();
    expect(sockets.last().framesOf('subscribe')).toEqual([{ type: 'subscribe', channel: OWN, since: 140 }]);
    client.close();
  });

  it('4001 with a fixed token: fails instead of reconnecting with a token the server refused', async () => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(4001, 'token expired');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.state).toMatchObject({ status: 'failed', lastClose: { code: 4001 } });
    expect(sockets.sockets).toHaveLength(1);
    client.close();
  });

  it('1012: reconnects at once (another node) and resumes', async () => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(1012, 'service restart');
    await settle();
    expect(sockets.sockets).toHaveLength(2);
    sockets.last().accept({ node: 'gateway-b' });
    expect(sockets.last().framesOf('subscribe')).toEqual([{ type: 'subscribe', channel: OWN, since: 100 }]);
    expect(client.state.session?.node).toBe('gateway-b');
    client.close();
  });

  it.each([4500, 4008, 1011, 1000, 1006])('%i: reconnects after the backoff delay and resumes', async (code) => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(code, 'x');
    expect(client.state).toMatchObject({ status: 'reconnecting', lastClose: { code } });
    await vi.advanceTimersByTimeAsync(499);
    expect(sockets.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(sockets.sockets).toHaveLength(2);
    sockets.last().accept();
    expect(sockets.last().framesOf('subscribe')).toEqual([{ type: 'subscribe', channel: OWN, since: 100 }]);
    client.close();
  });

  it.each([1013, 4029])('%i: pauses at least pauseMs before reconnecting', async (code) => {
    const { client, sockets, socket } = await connected();
    socket.serverClose(code, 'later');
    await vi.advanceTimersByTimeAsync(4999);
    expect(sockets.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(sockets.sockets).toHaveLength(2);
    client.close();
  });

  it('a dead server (no pong) is noticed and left', async () => {
    const { client, sockets } = makeClient();
    client.connect();
    await settle();
    const socket = sockets.last();
    socket.autoPong = false;
    socket.accept();
    expect(socket.framesOf('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.state).toMatchObject({ status: 'reconnecting', lastClose: { code: 1006 } });
    expect(sockets.sockets[0]!.closedByClient).not.toBeNull();
    client.close();
  });

  it('offers the token as a subprotocol beside chatcentral.v1, at /ws under the base URL', async () => {
    const { client, sockets } = makeClient({ url: 'https://gw.test/chat' });
    client.connect();
    await settle();
    expect(sockets.last().url).toBe('wss://gw.test/chat/ws');
    expect(sockets.last().protocols).toEqual(['chatcentral.v1', `bearer.${jwt()}`]);
    client.close();
  });

  it('close() ends the session for good: no reconnection, state closed', async () => {
    const { client, sockets, socket } = await connected();
    client.close();
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'client closed' });
    expect(client.state.status).toBe('closed');
    await vi.advanceTimersByTimeAsync(300_000);
    expect(sockets.sockets).toHaveLength(1);
  });
});
