/** Whatever the server (or a proxy) sends, nothing throws out of the client and the session goes on. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientWarning } from '../src/client.js';
import type { RealtimeEvent } from '../src/protocol/events.js';
import { EMPRESA, event, json, makeClient, settle } from './fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const EMP = `empresa:${EMPRESA}`;
const data = { conversaId: 'c', mensagemId: 'm', status: 'READ' };

async function setup() {
  const made = makeClient();
  const warnings: ClientWarning[] = [];
  const events: RealtimeEvent[] = [];
  made.client.on('warning', (w) => warnings.push(w));
  made.client.subscribe(EMP, (e) => events.push(e));
  made.client.connect();
  await settle();
  return { ...made, warnings, events, socket: made.sockets.last().accept() };
}

describe('hostile input', () => {
  it('reports malformed frames and goes on', async () => {
    const { client, socket, warnings, events } = await setup();
    const garbage: (string | object)[] = [
      'not json', '[]', '42', 'null', '{"no":"type"}', '{"type":7}',
      { type: 'subscribed', channel: EMP },
      { type: 'connected' },
      { type: 'message_status', channel: EMP, id: 'x', data: {}, position: 10, ts: null },
      { type: 'message_status', channel: EMP, id: 'x', data, position: 'ten', ts: null },
      { type: 'message_status', channel: EMP, id: 'x', data, position: -4, ts: null },
      { type: 'presence_update', channel: EMP, id: 'x', data: { userId: 'u', online: 'yes', version: 1 }, position: 11, ts: null },
      { type: 'presence_snapshot', channel: 'presence:emp-1', data: { online: 'everyone', version: 1 } },
      { type: 'error' },
    ];
    for (const frame of garbage) expect(() => socket.receive(frame)).not.toThrow();
    socket.onmessage?.({ data: new Uint8Array([1, 2, 3]) });
    expect(warnings.filter((w) => w.kind === 'malformed_frame')).toHaveLength(garbage.length + 1);
    socket.receive(event('message_status', EMP, 12, data));
    expect(events.map((e) => e.position)).toEqual([12]);
    expect(client.state.status).toBe('connected');
    client.close();
  });

  it('reports ephemeral frames that are not well-formed typing, and keeps the positions held', async () => {
    const { client, socket, warnings, events } = await setup();
    const typingData = { conversaId: 'c', who: 'atendente', userId: 'u', name: 'U' };
    const garbage: object[] = [
      // only typing is ephemeral: anything else without a position would slip past the resume bookkeeping
      { type: 'message_status', channel: EMP, id: 'x', data, ephemeral: true, ts: null },
      { type: 'presence_update', channel: EMP, id: 'x', data: { userId: 'u', online: true, version: 9 }, ephemeral: true, ts: null },
      { type: 'typing_start', channel: EMP, id: 'x', data: typingData, ephemeral: 'yes', ts: null },
      { type: 'typing_start', channel: EMP, id: 'x', data: typingData, ephemeral: false, ts: null },
      { type: 'typing_start', channel: EMP, id: 'x', data: typingData, ephemeral: true, position: 99, ts: null },
      { type: 'typing_start', channel: EMP, id: 'x', data: { who: 'atendente' }, ephemeral: true, ts: null },
      { type: 'typing_start', channel: EMP, data: typingData, ephemeral: true, ts: null },
      { type: 'typing_start', channel: EMP, id: 'x', data: typingData, ephemeral: true, ts: 42 },
      { type: 'typing_start', channel: EMP, id: 'x', data: typingData, ts: null },
    ];
    for (const frame of garbage) expect(() => socket.receive(frame)).not.toThrow();
    expect(warnings.filter((w) => w.kind === 'malformed_frame')).toHaveLength(garbage.length);
    expect(events).toEqual([]);
    socket.receive({ type: 'typing_start', channel: EMP, id: 'ok', data: typingData, ephemeral: true, ts: null });
    socket.receive(event('message_status', EMP, 12, data));
    expect(events.map((e) => e.id)).toEqual(['ok', 'message_status-12']);
    expect(client.positionsHeld()[EMP]).toBe(12);
    client.close();
  });

  it('reports service_metrics frames with a position or without the figures a console shows, and delivers good ones typed', async () => {
    const { client, socket, warnings, events } = await setup();
    const figures = {
      assigned: 3, firstAssignmentMsSum: 30000, firstAssignmentMsMax: 20000, firstResponses: 2, firstResponseMsSum: 90000,
      firstResponseMsMax: 60000, closed: 1, handlingMsSum: 600000, handlingMsMax: 600000, mensagensIn: 10,
      mensagensOut: 8, slaBreaches: 1,
    };
    const window = { size: '1m', start: '2026-11-30T05:00:00Z', end: '2026-11-30T05:01:00Z', empresa: figures, byAtendente: [{ atendenteId: 'ana', figures }] };
    const metrics = {
      empresaId: EMPRESA, ts: '2026-11-30T05:00:30Z', waiting: 4, longestWaitMs: 45000, windows: [window],
      atendentes: [{ atendenteId: 'ana', open: 3, awaitingReply: 1, longestAwaitingMs: 12000 }],
    };
    const frame = (data: unknown, extra: object = { ephemeral: true }) => ({ type: 'service_metrics', channel: EMP, id: 'sm', data, ...extra, ts: null });
    const garbage: object[] = [
      // figures are never durable: a position would move the position a resume starts from
      frame(metrics, { ephemeral: true, position: 99 }),
      frame(metrics, { position: 99 }),
      frame(metrics, {}),
      frame({ ...metrics, waiting: '4' }),
      frame({ ...metrics, waiting: 1.5 }),
      frame({ ...metrics, longestWaitMs: null }),
      frame({ ...metrics, empresaId: undefined }),
      frame({ ...metrics, ts: 42 }),
      frame({ ...metrics, windows: 'all' }),
      frame({ ...metrics, windows: [null] }),
      frame({ ...metrics, windows: [{ ...window, empresa: { ...figures, slaBreaches: 'muitas' } }] }),
      frame({ ...metrics, windows: [{ ...window, empresa: undefined }] }),
      frame({ ...metrics, windows: [{ ...window, byAtendente: [{ atendenteId: 'ana' }] }] }),
      frame({ ...metrics, atendentes: [{ atendenteId: 'ana', open: 'três', awaitingReply: 1, longestAwaitingMs: 0 }] }),
      frame({ ...metrics, atendentes: [7] }),
      frame({ ...metrics, atendentes: 'x'.repeat(1 << 20) }),
      frame([]),
    ];
    for (const bad of garbage) expect(() => socket.receive(bad)).not.toThrow();
    expect(warnings.filter((w) => w.kind === 'malformed_frame')).toHaveLength(garbage.length);
    expect(events).toEqual([]);

    socket.receive(frame(metrics));
    socket.receive(frame({ ...metrics, ts: null, waiting: 0, longestWaitMs: 0, windows: [], atendentes: [] }));
    socket.receive(event('message_status', EMP, 12, data));
    expect(events.map((e) => e.type)).toEqual(['service_metrics', 'service_metrics', 'message_status']);
    const shown = events[0]!;
    if (shown.type !== 'service_metrics') throw new Error('not service_metrics');
    // typed: the figures read without casts
    expect(shown.data.windows[0]!.empresa.firstResponseMsSum / shown.data.windows[0]!.empresa.firstResponses).toBe(45000);
    expect(shown.data.atendentes[0]!.awaitingReply).toBe(1);
    expect(client.positionsHeld()[EMP]).toBe(12);
    client.close();
  });

  it('reports edits, deletions and reactions without the fields a client reads, and delivers the well-formed ones', async () => {
    const { client, socket, warnings, events } = await setup();
    const mensagem = { conversaId: 'c', mensagemId: 'm' };
    const garbage = [
      event('message_edited', EMP, 30, mensagem),
      event('message_edited', EMP, 31, { ...mensagem, text: 7 }),
      event('message_deleted', EMP, 32, { conversaId: 'c' }),
      event('message_deleted', EMP, 33, { ...mensagem, mensagemId: null }),
      event('message_reaction', EMP, 34, mensagem),
      event('message_reaction', EMP, 35, { ...mensagem, reactions: { me: '👍' } }),
      event('message_reaction', EMP, 36, { ...mensagem, reactions: 'x'.repeat(1 << 20) }),
    ];
    for (const frame of garbage) expect(() => socket.receive(frame)).not.toThrow();
    expect(warnings.filter((w) => w.kind === 'malformed_frame')).toHaveLength(garbage.length);
    socket.receive(event('message_edited', EMP, 40, { ...mensagem, text: 'novo\u0000', originalText: 'velho' }));
    socket.receive(event('message_deleted', EMP, 41, { ...mensagem, deletedAt: '2025-10-21T14:35:59Z' }));
    socket.receive(event('message_reaction', EMP, 42, { ...mensagem, reactorJid: 'me', emoji: null, reactions: [] }));
    expect(events.map((e) => e.type)).toEqual(['message_edited', 'message_deleted', 'message_reaction']);
    expect(client.state.status).toBe('connected');
    client.close();
  });

  it('reports an event type it does not know without delivering it', async () => {
    const { client, socket, warnings, events } = await setup();
    socket.receive(event('queue_metrics', EMP, 20, { queueSize: 3 }));
    expect(warnings).toEqual([expect.objectContaining({ kind: 'unknown_event', type: 'queue_metrics' })]);
    socket.receive(event('message_status', EMP, 21, data));
    expect(events.map((e) => e.type)).toEqual(['message_status']);
    client.close();
  });

  it('drops a position going backwards', async () => {
    const { client, socket, events } = await setup();
    socket.receive(event('message_status', EMP, 30, data));
    expect(() => socket.receive(event('message_status', EMP, 29, data))).not.toThrow();
    expect(() => socket.receive({ type: 'subscribed', channel: EMP, position: 3, recovered: true })).not.toThrow();
    socket.receive(event('message_status', EMP, 4, data));
    socket.receive(event('message_status', EMP, 31, data));
    expect(events.map((e) => e.position)).toEqual([30, 31]);
    client.close();
  });

  it('survives handlers that throw: the others still run, a warning says what happened', async () => {
    const { client, socket, warnings, events } = await setup();
    client.subscribe(EMP, () => {
      throw new Error('broken view');
    });
    client.on('event', () => {
      throw new Error('broken listener');
    });
    client.on('warning', () => {
      throw new Error('broken warning listener');
    });
    expect(() => socket.receive(event('message_status', EMP, 40, data))).not.toThrow();
    expect(events.map((e) => e.position)).toEqual([40]);
    expect(warnings.filter((w) => w.kind === 'listener_threw')).toHaveLength(2);
    client.close();
  });

  it('ignores frames for channels never subscribed and frames after close', async () => {
    const { client, socket, events } = await setup();
    socket.receive(event('message_status', 'conversa:other', 50, data));
    client.close();
    socket.onmessage?.({ data: JSON.stringify(event('message_status', EMP, 51, data)) });
    expect(events).toEqual([]);
  });

  it('treats a long-poll answer that is not {events, position} as a failed connection', async () => {
    const { client, http } = makeClient({ transports: ['poll'] });
    const warnings: ClientWarning[] = [];
    client.on('warning', (w) => warnings.push(w));
    client.connect();
    await settle();
    http.next('/realtime/poll').respond(json({ events: 'none' }));
    await settle();
    expect(client.state).toMatchObject({ status: 'reconnecting', lastClose: { reason: expect.stringContaining('not {events, position}') } });
    await vi.advanceTimersByTimeAsync(500);
    http.next('/realtime/poll').respond(json({ events: [42, { type: 'x' }], position: 5 }));
    await settle();
    expect(client.state.status).toBe('connected');
    expect(warnings.map((w) => w.kind)).toEqual(['malformed_frame', 'malformed_frame']);
    client.close();
  });
});
