/** Typing and metrics through the client, as the React hooks will use them. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionMetrics } from '../src/metrics.js';
import { CONVERSA, USER, event, makeClient, settle } from './fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const CONV = `conversa:${CONVERSA}`;
const typing = (type: 'typing_start' | 'typing_stop', userId: string, position: number) =>
  event(type, CONV, position, { conversaId: CONVERSA, who: 'atendente', userId, name: userId });

async function connected() {
  const made = makeClient();
  made.client.connect();
  await settle();
  return { ...made, socket: made.sockets.last().accept() };
}

describe('typing through the client', () => {
  it('sends typing_start on the first keystroke and typing_stop 3 s after the last', async () => {
    const { client, socket } = await connected();
    const view = client.typing(CONVERSA);
    expect(socket.framesOf('subscribe')).toContainEqual({ type: 'subscribe', channel: CONV });
    view.keystroke();
    await vi.advanceTimersByTimeAsync(2000);
    view.keystroke();
    const typingFrames = () => socket.sent.filter((f) => f.type === 'typing_start' || f.type === 'typing_stop');
    expect(typingFrames()).toEqual([{ type: 'typing_start', conversaId: CONVERSA }]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(typingFrames()).toEqual([
      { type: 'typing_start', conversaId: CONVERSA },
      { type: 'typing_stop', conversaId: CONVERSA },
    ]);
    view.keystroke();
    view.stop();
    expect(typingFrames()).toHaveLength(4);
    client.close();
  });

  it('lists who else types, drops them on stop or 10 s without news', async () => {
    const { client, socket } = await connected();
    const view = client.typing(CONVERSA);
    const seen: string[][] = [];
    view.subscribe((users) => seen.push(users.map((u) => u.userId!)));
    socket.receive(typing('typing_start', 'ana', 1));
    socket.receive(typing('typing_start', USER, 2));
    socket.receive(typing('typing_start', 'bia', 3));
    expect(view.typingUsers.map((u) => u.userId)).toEqual(['ana', 'bia']);
    socket.receive(typing('typing_stop', 'ana', 4));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(view.typingUsers).toEqual([]);
    expect(seen).toEqual([['ana'], ['ana', 'bia'], ['bia'], []]);
    view.dispose();
    expect(socket.framesOf('unsubscribe')).toEqual([{ type: 'unsubscribe', channel: CONV }]);
    client.close();
  });

  it('shows ephemeral typing (no position) and keeps the position a resume starts from', async () => {
    const { client, socket } = await connected();
    const view = client.typing(CONVERSA);
    socket.receive({ type: 'subscribed', channel: CONV, position: 40 });
    const ephemeral = (type: 'typing_start' | 'typing_stop', userId: string, id: string) => {
      const { position: _, ...frame } = typing(type, userId, 0);
      return { ...frame, id, ephemeral: true };
    };
    socket.receive(ephemeral('typing_start', 'ana', 'e1'));
    expect(view.typingUsers.map((u) => u.userId)).toEqual(['ana']);
    expect(client.positionsHeld()[CONV]).toBe(40);
    socket.receive(ephemeral('typing_stop', 'ana', 'e2'));
    expect(view.typingUsers).toEqual([]);
    // an ephemeral start never stopped (its stop was lost) still ends 10 s after it happened
    socket.receive(ephemeral('typing_start', 'bia', 'e3'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(view.typingUsers).toEqual([]);
    expect(client.positionsHeld()[CONV]).toBe(40);
    client.close();
  });
});

describe('metrics through the client', () => {
  it('publishes every 10 s: connections, reconnections, ping latency, errors', async () => {
    const { client, sockets } = makeClient();
    const seen: ConnectionMetrics[] = [];
    client.metrics().subscribe((m) => seen.push(m));
    client.connect();
    await settle();
    const socket = sockets.last();
    socket.autoPong = false;
    socket.accept();
    await vi.advanceTimersByTimeAsync(40);
    socket.receive({ type: 'pong' });
    socket.receive({ type: 'error', code: 'bad_frame', message: 'x' });
    await vi.advanceTimersByTimeAsync(10_000 - 40);
    expect(seen).toEqual([expect.objectContaining({ totalConnections: 1, activeConnections: 1, averageLatency: 40, errorRate: 6, reconnectionRate: 0 })]);
    socket.serverClose(1012, 'restart');
    await settle();
    sockets.last().accept();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen[1]).toMatchObject({ totalConnections: 2, activeConnections: 1, reconnectionRate: 6, errorRate: 0 });
    expect(client.metrics().get()).toBe(seen[1]);
    client.close();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(seen).toHaveLength(2);
  });
});
