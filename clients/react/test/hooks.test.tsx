/** The hooks against the SDK with a fake gateway (clients/js/test/fakes.ts), under fake timers. */
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ChatCentralProvider,
  useConnectionMetrics,
  useConversationRealtime,
  usePresenceSystem,
  useQueueMetrics,
  type QueueMetricsReport,
} from '../src/index.js';
import { CONVERSA, EMPRESA, USER, event, fakeFetch, fakeWebSockets, json, jwt, settle } from '../../js/test/fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup() {
  const sockets = fakeWebSockets();
  const http = fakeFetch();
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <ChatCentralProvider url="https://gw.test" token={jwt()} options={{ WebSocket: sockets.WebSocket, fetch: http.fetch, random: () => 0.5 }}>
      {children}
    </ChatCentralProvider>
  );
  return { sockets, http, wrapper };
}

/** Lets the client open its socket (the token is resolved asynchronously). */
async function opened(sockets: ReturnType<typeof fakeWebSockets>) {
  await act(settle);
  return sockets.last();
}

/** Renders `hook` under a provider and lets the gateway accept the connection. */
async function connected<T>(hook: () => T) {
  const { sockets, wrapper } = setup();
  const rendered = renderHook(hook, { wrapper });
  const socket = await opened(sockets);
  act(() => {
    socket.accept();
  });
  return { ...rendered, socket };
}

const online = (userId: string, name: string) => ({ userId, name, status: 'disponivel' as const, since: '2026-11-29T10:00:00Z' });

describe('usePresenceSystem', () => {
  it('shows who is online from the snapshot and later updates, and whether this user is', async () => {
    const { result, socket } = await connected(() => usePresenceSystem(EMPRESA));
    expect(socket.framesOf('subscribe').map((f) => f.channel)).toContain(`presence:${EMPRESA}`);
    act(() => {
      socket.receive({ type: 'subscribed', channel: `presence:${EMPRESA}`, position: 10 });
      socket.receive({
        type: 'presence_snapshot',
        channel: `presence:${EMPRESA}`,
        data: { empresaId: EMPRESA, online: [online('u-2', 'Bia')], count: 1, version: 4, ts: '2026-11-29T10:00:00Z' },
      });
    });
    expect(result.current.onlineUsers.map((u) => u.userId)).toEqual(['u-2']);
    expect(result.current.isOnline).toBe(false);
    act(() => {
      socket.receive(
        event('presence_update', `presence:${EMPRESA}`, 11, {
          userId: USER, name: 'Ana', online: true, status: 'disponivel', sessions: 1, since: '2026-11-29T10:01:00Z', version: 5, ts: '2026-11-29T10:01:00Z',
        }),
      );
    });
    expect(result.current.onlineUsers.map((u) => u.userId)).toEqual(['u-2', USER]);
    expect(result.current.isOnline).toBe(true);
  });

  it('sends the chosen status and this user typing, stopping 3 s after the last keystroke', async () => {
    const { result, socket } = await connected(() => usePresenceSystem(EMPRESA));
    expect(result.current.updatePresence('ausente')).toBe(true);
    expect(socket.framesOf('presence')).toEqual([{ type: 'presence', status: 'ausente' }]);
    act(() => result.current.startTyping(CONVERSA));
    await act(() => vi.advanceTimersByTimeAsync(2000));
    act(() => result.current.startTyping(CONVERSA));
    await act(() => vi.advanceTimersByTimeAsync(2999));
    expect(socket.framesOf('typing_stop')).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(socket.framesOf('typing_start')).toEqual([{ type: 'typing_start', conversaId: CONVERSA }]);
    expect(socket.framesOf('typing_stop')).toEqual([{ type: 'typing_stop', conversaId: CONVERSA }]);
  });

  it('stops following the presence channel when unmounted, and the provider closes the connection', async () => {
    const { unmount, socket } = await connected(() => usePresenceSystem(EMPRESA));
    unmount();
    expect(socket.closedByClient).not.toBeNull();
  });
});

describe('useConversationRealtime', () => {
  const atendenteTyping = (type: string, position: number) =>
    event(type, `conversa:${CONVERSA}`, position, { conversaId: CONVERSA, who: 'atendente', userId: 'u-2', name: 'Bia' });

  it('lists who else types, drops them on typing_stop, or 10 s after their last start without news', async () => {
    const { result, socket } = await connected(() => useConversationRealtime(CONVERSA));
    expect(result.current.isConnected).toBe(true);
    act(() => socket.receive(atendenteTyping('typing_start', 20)));
    expect(result.current.typingUsers.map((u) => u.name)).toEqual(['Bia']);
    act(() => socket.receive(atendenteTyping('typing_stop', 21)));
    expect(result.current.typingUsers).toEqual([]);
    act(() =>
      socket.receive(event('typing_start', `conversa:${CONVERSA}`, 22, { conversaId: CONVERSA, who: 'cliente', jid: '5511999@s.whatsapp.net', presence: 'composing' })),
    );
    expect(result.current.typingUsers.map((u) => u.who)).toEqual(['cliente']);
    await act(() => vi.advanceTimersByTimeAsync(9999));
    expect(result.current.typingUsers).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(result.current.typingUsers).toEqual([]);
  });

  it('keeps a reply written while disconnected and sends it once, with its commandId, when the connection is back', async () => {
    const { sockets, wrapper } = setup();
    const { result } = renderHook(() => useConversationRealtime(CONVERSA), { wrapper });
    const first = await opened(sockets);
    act(() => {
      first.accept();
    });
    act(() => first.serverClose(1012, 'restart'));
    expect(result.current.isConnected).toBe(false);
    let sent!: Promise<unknown>;
    act(() => {
      sent = result.current.notifyNewMessage('Já verifico', { commandId: 'reply-1' });
    });
    const second = await opened(sockets);
    expect(second).not.toBe(first);
    act(() => {
      second.accept();
    });
    expect(result.current.isConnected).toBe(true);
    expect(second.framesOf('command')).toEqual([
      { type: 'command', command: 'send_message', conversaId: CONVERSA, text: 'Já verifico', commandId: 'reply-1' },
    ]);
    act(() => second.receive({ type: 'command_accepted', commandId: 'reply-1' }));
    await expect(sent).resolves.toEqual({ commandId: 'reply-1' });
    expect(first.framesOf('command')).toEqual([]);
  });

  it('sends typing on keystrokes and stops it at once when asked', async () => {
    const { result, socket } = await connected(() => useConversationRealtime(CONVERSA));
    act(() => result.current.sendTypingIndicator(true));
    act(() => result.current.sendTypingIndicator(false));
    expect(socket.sent.filter((f) => f.type.startsWith('typing')).map((f) => f.type)).toEqual(['typing_start', 'typing_stop']);
  });
});

describe('useConnectionMetrics', () => {
  it('publishes the client metrics every 10 s', async () => {
    const { result, socket } = await connected(() => useConnectionMetrics());
    expect(result.current.totalConnections).toBe(0);
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(result.current).toMatchObject({ totalConnections: 1, activeConnections: 1, errorRate: 0 });
  });
});

describe('useQueueMetrics', () => {
  const report = (queueSize: number): QueueMetricsReport => ({
    ts: '2026-11-29T10:00:00Z',
    queueSize,
    lag: [{ topic: 'chat.webhooks', lag: queueSize }],
    processingRate: 1200,
    writtenPerMinute: 2400,
    processorNodes: 1,
    errorRate: 0.5,
    dlqSize: 2,
    onlineAtendentes: 3,
    connections: [{ node: 'gateway-a', connections: 3 }],
    history: [],
  });

  it('polls GET /api/v1/metrics/queue with the token and keeps the last report when a poll fails', async () => {
    const { http, wrapper } = setup();
    const { result } = renderHook(() => useQueueMetrics({ intervalMs: 5000 }), { wrapper });
    await act(settle);
    const first = http.next('/api/v1/metrics/queue');
    expect(first.headers.Authorization).toBe(`Bearer ${jwt()}`);
    await act(async () => {
      first.respond(json(report(42)));
      await settle();
    });
    expect(result.current).toMatchObject({ queueSize: 42, processingRate: 1200, errorRate: 0.5, error: null });
    await act(() => vi.advanceTimersByTimeAsync(5000));
    await act(async () => {
      http.next('/api/v1/metrics/queue').respond(json({ error: 'forbidden', reason: 'supervisors only' }, 403));
      await settle();
    });
    expect(result.current.queueSize).toBe(42);
    expect(result.current.error).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
