/** Resume by position per channel, duplicates dropped, presence by version (docs/protocol.md "Resume", "Presence"). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeEvent } from '../src/protocol/events.js';
import { CONVERSA, EMPRESA, USER, event, makeClient, settle } from './fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const OWN = `atendente:${USER}`;
const EMP = `empresa:${EMPRESA}`;
const CONV = `conversa:${CONVERSA}`;
const PRES = `presence:${EMPRESA}`;
const status = { conversaId: CONVERSA, mensagemId: 'm', status: 'READ' };

async function setup() {
  const made = makeClient();
  const seen: RealtimeEvent[] = [];
  made.client.on('event', (e) => seen.push(e));
  made.client.connect();
  await settle();
  return { ...made, seen };
}

describe('resume', () => {
  it('subscribes after every reconnect with the last position seen on each channel', async () => {
    const { client, sockets, seen } = await setup();
    const onEmpresa: number[] = [];
    client.subscribe(EMP, (e) => onEmpresa.push(e.position as number));
    client.subscribe(CONV, () => {});
    const first = sockets.last().accept();
    expect(first.framesOf('subscribe')).toEqual([
      { type: 'subscribe', channel: OWN },
      { type: 'subscribe', channel: EMP },
      { type: 'subscribe', channel: CONV },
    ]);
    first.receive({ type: 'subscribed', channel: OWN, position: 1700 });
    first.receive({ type: 'subscribed', channel: EMP, position: 1700 });
    first.receive({ type: 'subscribed', channel: CONV, position: 1700 });
    first.receive(event('message_status', EMP, 1702, status, 'a'));
    first.receive(event('message_status', CONV, 1702, status, 'a'));
    first.receive(event('conversation_updated', EMP, 1710, { conversa: {} }, 'b'));
    first.serverClose(4500, 'too slow');
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    const second = sockets.last().accept({ node: 'gateway-b' });
    expect(second.framesOf('subscribe')).toEqual([
      { type: 'subscribe', channel: OWN, since: 1700 },
      { type: 'subscribe', channel: EMP, since: 1710 },
      { type: 'subscribe', channel: CONV, since: 1702 },
    ]);
    // the replay overlaps what was seen: only the new events get through, once
    second.receive(event('conversation_updated', EMP, 1710, { conversa: {} }, 'b'));
    second.receive(event('message_status', EMP, 1715, status, 'c'));
    second.receive({ type: 'subscribed', channel: EMP, position: 1720, recovered: true });
    second.receive(event('message_status', EMP, 1715, status, 'c'));
    second.receive(event('message_status', EMP, 1721, status, 'd'));
    expect(onEmpresa).toEqual([1702, 1710, 1715, 1721]);
    expect(seen.map((e) => `${e.channel}@${e.position}`)).toEqual([
      `${EMP}@1702`, `${CONV}@1702`, `${EMP}@1710`, `${EMP}@1715`, `${EMP}@1721`,
    ]);
    expect(client.positionsHeld()).toEqual({ [OWN]: 1700, [EMP]: 1721, [CONV]: 1702 });
    client.close();
  });

  it('drops an event at or below the position held, per channel (a copy on another channel is delivered)', async () => {
    const { client, sockets, seen } = await setup();
    client.subscribe(EMP, () => {});
    const socket = sockets.last().accept();
    socket.receive(event('message_status', EMP, 50, status));
    socket.receive(event('message_status', EMP, 50, status));
    socket.receive(event('message_status', EMP, 49, status));
    socket.receive(event('message_status', OWN, 50, status));
    expect(seen.map((e) => `${e.channel}@${e.position}`)).toEqual([`${EMP}@50`, `${OWN}@50`]);
    client.close();
  });

  it('tells the app to reload over REST when the missed events are gone, and continues from the new position', async () => {
    const { client, sockets, seen } = await setup();
    const resyncs: unknown[] = [];
    client.on('resync', (r) => resyncs.push(r));
    client.subscribe(EMP, () => {});
    let socket = sockets.last().accept();
    socket.receive(event('message_status', EMP, 900, status));
    socket.serverClose(1012, 'restart');
    await settle();
    socket = sockets.last().accept();
    // the log was recreated: the server's position is below ours, and it wins
    socket.receive({ type: 'subscribed', channel: EMP, position: 12, recovered: false });
    socket.receive(event('message_status', EMP, 13, status));
    expect(resyncs).toEqual([{ channel: EMP, position: 12 }]);
    expect(seen.map((e) => e.position)).toEqual([900, 13]);
    client.close();
  });

  it('ignores events of a channel it no longer follows, and forgets its position', async () => {
    const { client, sockets, seen } = await setup();
    const off = client.subscribe(EMP, () => {});
    const socket = sockets.last().accept();
    socket.receive(event('message_status', EMP, 5, status));
    off();
    off();
    expect(socket.framesOf('unsubscribe')).toEqual([{ type: 'unsubscribe', channel: EMP }]);
    socket.receive(event('message_status', EMP, 6, status));
    expect(seen.map((e) => e.position)).toEqual([5]);
    expect(client.positionsHeld()[EMP]).toBeUndefined();
    client.close();
  });

  it('starts from a position the app kept', async () => {
    const { client, sockets } = await setup();
    client.subscribe(EMP, () => {}, { since: 77 });
    expect(sockets.last().accept().framesOf('subscribe')).toContainEqual({ type: 'subscribe', channel: EMP, since: 77 });
    client.close();
  });

  it('subscribes again after an unavailable error on a channel', async () => {
    const { client, sockets } = await setup();
    client.subscribe(EMP, () => {});
    const socket = sockets.last().accept();
    socket.receive({ type: 'error', code: 'unavailable', message: 'replay could not be read', channel: EMP });
    await vi.advanceTimersByTimeAsync(2000);
    expect(socket.framesOf('subscribe').filter((f) => f.channel === EMP)).toHaveLength(2);
    client.close();
  });

  it.each(['forbidden', 'too_many_channels'])('drops a channel refused with %s and says so, without resubscribing to it later', async (code) => {
    const { client, sockets } = await setup();
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    client.subscribe('empresa:emp-2', () => {});
    let socket = sockets.last().accept();
    socket.receive({ type: 'error', code, message: 'refused', channel: 'empresa:emp-2' });
    expect(errors).toEqual([expect.objectContaining({ code, channel: 'empresa:emp-2' })]);
    socket.serverClose(1012, '');
    await settle();
    socket = sockets.last().accept();
    expect(socket.framesOf('subscribe').map((f) => f.channel)).toEqual([OWN]);
    client.close();
  });
});

describe('presence through the client', () => {
  it('holds the snapshot, applies updates only with a greater version, also across a replay', async () => {
    const { client, sockets } = await setup();
    const presence = client.presence();
    let socket = sockets.last().accept();
    expect(socket.framesOf('subscribe')).toContainEqual({ type: 'subscribe', channel: PRES });
    socket.receive({
      type: 'presence_snapshot', channel: PRES,
      data: { empresaId: EMPRESA, online: [{ userId: 'u-42', name: 'Ana', status: 'disponivel', since: 't' }], count: 1, version: 17, ts: 't' },
    });
    socket.receive({ type: 'subscribed', channel: PRES, position: 300 });
    const update = (userId: string, online: boolean, version: number, position: number) =>
      event('presence_update', PRES, position, { userId, name: userId, online, status: 'disponivel', sessions: 1, since: 't', version, ts: 't' });
    // a change already in the snapshot arrives after it: ignored
    socket.receive(update('u-7', true, 17, 301));
    expect(presence.isOnline('u-7')).toBe(false);
    socket.receive(update('u-7', true, 18, 302));
    expect(presence.onlineUsers.map((u) => u.userId)).toEqual(['u-42', 'u-7']);
    socket.serverClose(4008, '');
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    socket = sockets.last().accept();
    expect(socket.framesOf('subscribe')).toContainEqual({ type: 'subscribe', channel: PRES, since: 302 });
    // recovered: no snapshot, the replay brings the list up to date
    socket.receive(update('u-42', false, 19, 303));
    socket.receive({ type: 'subscribed', channel: PRES, position: 303, recovered: true });
    expect(presence.onlineUsers.map((u) => u.userId)).toEqual(['u-7']);
    expect(presence.get().version).toBe(19);
    presence.dispose();
    expect(socket.framesOf('unsubscribe')).toEqual([{ type: 'unsubscribe', channel: PRES }]);
    client.close();
  });

  it('sends the chosen status, and again after a reconnect', async () => {
    const { client, sockets } = await setup();
    expect(client.setStatus('ausente')).toBe(false);
    let socket = sockets.last().accept();
    expect(socket.framesOf('presence')).toEqual([{ type: 'presence', status: 'ausente' }]);
    expect(client.setStatus('ocupado')).toBe(true);
    socket.serverClose(1012, '');
    await settle();
    socket = sockets.last().accept();
    expect(socket.framesOf('presence')).toEqual([{ type: 'presence', status: 'ocupado' }]);
    client.close();
  });
});
