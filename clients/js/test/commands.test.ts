/** Commands and the offline buffer: one `commandId` per command, resent after reconnecting, acting once. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandError } from '../src/commands/commands.js';
import { MemoryCommandBuffer, type CommandBuffer } from '../src/commands/buffer.js';
import { IndexedDbCommandBuffer } from '../src/commands/indexeddb.js';
import { CONVERSA, USER, event, fakeFetch, json, jwt, makeClient, settle, sseStream } from './fakes.js';

// IndexedDB (fake-indexeddb) schedules its work with setImmediate: leave that one real
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
afterEach(() => vi.useRealTimers());

const assign = { command: 'assign', conversaId: CONVERSA } as const;
let ids = 0;
const createCommandId = () => `c-${++ids}`;

/** Lets IndexedDB's real setImmediate work finish. */
async function idle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await settle();
  }
}

describe.each([
  ['memory', () => new MemoryCommandBuffer()],
  ['IndexedDB', () => new IndexedDbCommandBuffer({ indexedDB: new IDBFactory() })],
])('commands with the %s buffer', (_, makeBuffer: () => CommandBuffer) => {
  it('sends a command and resolves on command_accepted; the buffer is emptied', async () => {
    const buffer = makeBuffer();
    const { client, sockets } = makeClient({ commandBuffer: buffer, createCommandId });
    client.connect();
    await idle();
    const socket = sockets.last().accept();
    const accepted = vi.fn();
    client.on('commandAccepted', accepted);
    const result = client.command({ command: 'send_message', conversaId: CONVERSA, text: 'Olá!' });
    const [frame] = socket.framesOf('command');
    expect(frame).toEqual({ type: 'command', command: 'send_message', conversaId: CONVERSA, text: 'Olá!', commandId: expect.stringMatching(/^c-\d+$/) });
    await idle();
    expect((await buffer.load()).map((c) => c.commandId)).toEqual([frame!.commandId]);
    socket.receive({ type: 'command_accepted', commandId: frame!.commandId });
    await expect(result).resolves.toEqual({ commandId: frame!.commandId });
    expect(accepted).toHaveBeenCalledWith({ commandId: frame!.commandId });
    await idle();
    expect(await buffer.load()).toEqual([]);
    client.close();
  });

  it('keeps commands issued offline and sends each once, in order, with its commandId, after connecting', async () => {
    const { client, sockets } = makeClient({ commandBuffer: makeBuffer() });
    const first = client.command({ ...assign, commandId: 'offline-1' });
    const second = client.command({ command: 'close', conversaId: CONVERSA, commandId: 'offline-2' });
    expect(client.pendingCommands().map((c) => c.commandId)).toEqual(['offline-1', 'offline-2']);
    client.connect();
    await idle();
    const socket = sockets.last().accept();
    expect(socket.framesOf('command').map((f) => f.commandId)).toEqual(['offline-1', 'offline-2']);
    socket.receive({ type: 'command_accepted', commandId: 'offline-1' });
    socket.receive({ type: 'command_accepted', commandId: 'offline-2' });
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    client.close();
  });

  it('resends a command left unanswered by a dropped connection exactly once, with the same commandId', async () => {
    const { client, sockets } = makeClient({ commandBuffer: makeBuffer(), createCommandId });
    client.connect();
    await idle();
    const first = sockets.last().accept();
    const result = client.command({ command: 'transfer', conversaId: CONVERSA, targetAtendenteId: 'u-42' });
    const [sent] = first.framesOf('command');
    first.serverClose(1012, 'service restart');
    await settle();
    const second = sockets.last().accept();
    expect(second.framesOf('command')).toEqual([sent]);
    second.receive({ type: 'command_accepted', commandId: sent!.commandId });
    await expect(result).resolves.toEqual({ commandId: sent!.commandId });
    second.serverClose(4500, 'too slow');
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    expect(sockets.last().accept().framesOf('command')).toEqual([]);
    client.close();
  });

  it('takes a command buffered by an earlier page (same user) and sends it once; another user’s stays', async () => {
    const factory = new IDBFactory();
    const buffer = new IndexedDbCommandBuffer({ indexedDB: factory, name: 'shared' });
    await buffer.put({ commandId: 'earlier', body: { ...assign, commandId: 'earlier' }, owner: `emp-1/${USER}`, createdAt: 1, seq: 0 });
    await buffer.put({ commandId: 'someone-else', body: { ...assign, commandId: 'someone-else' }, owner: 'emp-1/user-2', createdAt: 1, seq: 0 });
    buffer.close();
    const reloaded = new IndexedDbCommandBuffer({ indexedDB: factory, name: 'shared' });
    const { client, sockets } = makeClient({ commandBuffer: reloaded });
    const accepted = vi.fn();
    client.on('commandAccepted', accepted);
    client.connect();
    await idle();
    const socket = sockets.last().accept();
    expect(socket.framesOf('command').map((f) => f.commandId)).toEqual(['earlier']);
    socket.receive({ type: 'command_accepted', commandId: 'earlier' });
    expect(accepted).toHaveBeenCalledWith({ commandId: 'earlier' });
    await idle();
    expect((await reloaded.load()).map((c) => c.commandId)).toEqual(['someone-else']);
    client.close();
  });
});

describe('command answers', () => {
  async function connected() {
    const made = makeClient({ createCommandId });
    made.client.connect();
    await settle();
    return { ...made, socket: made.sockets.last().accept() };
  }

  it('sends again after unavailable, with the same commandId', async () => {
    const { client, socket } = await connected();
    const result = client.command(assign);
    const [sent] = socket.framesOf('command');
    socket.receive({ type: 'error', code: 'unavailable', message: 'Kafka did not answer', commandId: sent!.commandId });
    await vi.advanceTimersByTimeAsync(1999);
    expect(socket.framesOf('command')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.framesOf('command')).toEqual([sent, sent]);
    socket.receive({ type: 'command_accepted', commandId: sent!.commandId });
    await expect(result).resolves.toBeDefined();
    client.close();
  });

  it('sends again when no answer came within the ack timeout (a frame dropped as rate_limited)', async () => {
    const { client, socket } = await connected();
    void client.command(assign);
    socket.receive({ type: 'error', code: 'rate_limited', message: 'this one was dropped' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.framesOf('command')).toHaveLength(2);
    expect(new Set(socket.framesOf('command').map((f) => f.commandId)).size).toBe(1);
    client.close();
  });

  it.each(['bad_command', 'forbidden'])('rejects on %s and forgets the command', async (code) => {
    const { client, socket } = await connected();
    const failed = vi.fn();
    client.on('commandFailed', failed);
    const result = client.command(assign);
    const [sent] = socket.framesOf('command');
    socket.receive({ type: 'error', code, message: 'no', commandId: sent!.commandId });
    await expect(result).rejects.toMatchObject({ name: 'CommandError', code, source: 'gateway', commandId: sent!.commandId });
    expect(failed).toHaveBeenCalledOnce();
    expect(client.pendingCommands()).toEqual([]);
    client.close();
  });

  it('rejects when a command_rejected for it arrives before the acceptance (a replay)', async () => {
    const { client, socket } = await connected();
    const result = client.command(assign);
    const [sent] = socket.framesOf('command');
    socket.receive(event('command_rejected', `atendente:${USER}`, 9, { commandId: sent!.commandId, type: 'assign', conversaId: CONVERSA, reason: 'already_assigned', message: 'taken' }));
    await expect(result).rejects.toMatchObject({ code: 'already_assigned', source: 'processor' });
    client.close();
  });

  it('refuses locally what the gateway would close the connection for or never accept', async () => {
    const { client, socket } = await connected();
    await expect(client.command({ command: 'send_message', conversaId: CONVERSA, text: 'x'.repeat(70_000) })).rejects.toMatchObject({ code: 'frame_too_large', source: 'client' });
    await expect(client.command({ ...assign, commandId: 'has space' })).rejects.toBeInstanceOf(CommandError);
    expect(socket.framesOf('command')).toEqual([]);
    client.close();
  });

  it('sends react and delete with their mensagemId and emoji, the empty emoji included', async () => {
    const { client, sockets } = makeClient({ createCommandId });
    client.connect();
    await settle();
    const socket = sockets.last().accept();
    const mensagemId = '5f0e2a7c-3b1d-4c8e-9a6f-7d2e1c0b9a88';
    void client.command({ command: 'react', conversaId: CONVERSA, mensagemId, emoji: '👍' });
    void client.command({ command: 'react', conversaId: CONVERSA, mensagemId, emoji: '' });
    void client.command({ command: 'delete', conversaId: CONVERSA, mensagemId });
    expect(socket.framesOf('command').map(({ commandId: _, ...rest }) => rest)).toEqual([
      { type: 'command', command: 'react', conversaId: CONVERSA, mensagemId, emoji: '👍' },
      { type: 'command', command: 'react', conversaId: CONVERSA, mensagemId, emoji: '' },
      { type: 'command', command: 'delete', conversaId: CONVERSA, mensagemId },
    ]);
    client.close();
  });

  it('joins a command sent again with the same commandId instead of sending it twice', async () => {
    const { client, socket } = await connected();
    const a = client.command({ ...assign, commandId: 'same' });
    const b = client.command({ ...assign, commandId: 'same' });
    expect(socket.framesOf('command')).toHaveLength(1);
    socket.receive({ type: 'command_accepted', commandId: 'same' });
    await expect(Promise.all([a, b])).resolves.toEqual([{ commandId: 'same' }, { commandId: 'same' }]);
    client.close();
  });

  it('discards a buffered command on request', async () => {
    const { client } = makeClient();
    const result = client.command({ ...assign, commandId: 'gone' });
    expect(client.discardCommand('gone')).toBe(true);
    await expect(result).rejects.toMatchObject({ code: 'discarded' });
    expect(client.pendingCommands()).toEqual([]);
  });
});

describe('commands over REST, when SSE or long-poll carry the session', () => {
  async function onSse(token: string | (() => string) = jwt()) {
    const http = fakeFetch();
    const made = makeClient({ transports: ['sse'], http, createCommandId, token });
    made.client.connect();
    await settle();
    const stream = sseStream();
    http.next('/realtime/sse').respond(stream.response);
    stream.send({ type: 'connected', sessionId: 's', userId: USER, empresaId: 'emp-1', node: 'n', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await settle();
    expect(made.client.state.status).toBe('connected');
    return { ...made, http };
  }

  it('posts the command without type, with the token in the header, and resolves on 202', async () => {
    const { client, http } = await onSse();
    const result = client.command({ command: 'close', conversaId: CONVERSA });
    await settle();
    const post = http.next('/api/v1/commands');
    expect(post.method).toBe('POST');
    expect(post.headers.Authorization).toBe(`Bearer ${jwt()}`);
    expect(post.body).toEqual({ command: 'close', conversaId: CONVERSA, commandId: expect.any(String) });
    post.respond(json({ commandId: (post.body as { commandId: string }).commandId, status: 'accepted' }, 202));
    await expect(result).resolves.toEqual({ commandId: (post.body as { commandId: string }).commandId });
    client.close();
  });

  it('posts again after a 503 with the same commandId, one command at a time', async () => {
    const { client, http } = await onSse();
    const first = client.command(assign);
    const second = client.command({ command: 'close', conversaId: CONVERSA });
    await settle();
    const post = http.next('/api/v1/commands');
    expect(http.requests.filter((r) => r.url.pathname === '/api/v1/commands')).toHaveLength(1);
    post.respond(json({ error: 'unavailable', reason: 'Kafka' }, 503));
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    const again = http.next('/api/v1/commands');
    expect(again.body).toEqual(post.body);
    again.respond(json({}, 202));
    await settle();
    const next = http.next('/api/v1/commands');
    next.respond(json({}, 202));
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    client.close();
  });

  it('rejects on 404 not_found', async () => {
    const { client, http } = await onSse();
    const result = client.command(assign);
    await settle();
    http.next('/api/v1/commands').respond(json({ error: 'not_found', reason: 'no such conversa' }, 404));
    await expect(result).rejects.toMatchObject({ code: 'not_found', source: 'gateway' });
    client.close();
  });

  it('answers a 401 with a new token and posts again', async () => {
    const tokens = [jwt({ n: 1 }), jwt({ n: 2 })];
    const { client, http } = await onSse(() => tokens.shift() ?? jwt({ n: 3 }));
    const result = client.command(assign);
    await settle();
    http.next('/api/v1/commands').respond(json({ error: 'unauthorized' }, 401));
    await settle();
    const again = http.next('/api/v1/commands');
    expect(again.headers.Authorization).toBe(`Bearer ${jwt({ n: 2 })}`);
    again.respond(json({}, 202));
    await expect(result).resolves.toBeDefined();
    client.close();
  });
});
