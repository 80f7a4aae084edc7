/**
 * The client against real servers on localhost (real timers, real sockets): a `ws` WebSocket server that checks
 * the subprotocol handshake as the gateway does, and a Node HTTP server streaming SSE to the global fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ChatCentralClient } from '../src/client.js';
import type { RealtimeEvent } from '../src/protocol/events.js';
import type { WebSocketConstructor } from '../src/transport/types.js';
import { EMPRESA, USER, event, jwt } from './fakes.js';

const EMP = `empresa:${EMPRESA}`;
const OWN = `atendente:${USER}`;
const data = { conversaId: 'c', mensagemId: 'm', status: 'READ' };
const connectedFrame = { type: 'connected', sessionId: 's', userId: USER, empresaId: EMPRESA, node: 'n', expiresAt: new Date(Date.now() + 3_600_000).toISOString() };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(poll, 5));
    poll();
  });
}

describe('against a real WebSocket server', () => {
  it('authenticates with the subprotocol, resumes with since after the node restarts (1012)', async () => {
    const token = jwt();
    const offered: string[][] = [];
    const subscribes: unknown[] = [];
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      // as the gateway: select chatcentral.v1, never echo the token
      handleProtocols: (protocols) => (protocols.has('chatcentral.v1') ? 'chatcentral.v1' : false),
    });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    let connection = 0;
    server.on('connection', (socket, request) => {
      const n = ++connection;
      offered.push(String(request.headers['sec-websocket-protocol']).split(/,\s*/));
      socket.send(JSON.stringify(connectedFrame));
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw));
        if (frame.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
        if (frame.type !== 'subscribe') return;
        subscribes.push(frame);
        if (n === 1) {
          socket.send(JSON.stringify({ type: 'subscribed', channel: frame.channel, position: 10 }));
          // the client subscribes to the app's channel, then to its own: the node restarts after both
          if (frame.channel === OWN) {
            socket.send(JSON.stringify(event('message_status', EMP, 11, data)));
            socket.send(JSON.stringify({ type: 'closing', code: 1012, reason: 'service restart' }));
            socket.close(1012, 'service restart');
          }
        } else if (frame.channel === EMP) {
          socket.send(JSON.stringify(event('message_status', EMP, 11, data)));
          socket.send(JSON.stringify(event('message_status', EMP, 12, data)));
          socket.send(JSON.stringify({ type: 'subscribed', channel: EMP, position: 12, recovered: true }));
        }
      });
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ChatCentralClient({ url: `http://127.0.0.1:${port}`, token, WebSocket: WebSocket as unknown as WebSocketConstructor });
    cleanups.push(() => client.close());
    const events: RealtimeEvent[] = [];
    client.subscribe(EMP, (e) => events.push(e));
    client.connect();
    await until(() => events.length === 2);
    expect(offered[0]).toEqual(['chatcentral.v1', `bearer.${token}`]);
    expect(events.map((e) => e.position)).toEqual([11, 12]);
    expect(subscribes).toEqual([
      { type: 'subscribe', channel: EMP },
      { type: 'subscribe', channel: OWN },
      { type: 'subscribe', channel: EMP, since: 11 },
      { type: 'subscribe', channel: OWN, since: 10 },
    ]);
    expect(client.state).toMatchObject({ status: 'connected', transport: 'websocket', lastClose: { code: 1012 } });
  });
});

describe('against a real SSE server', () => {
  it('reads the stream through fetch and resumes with since after a closing frame', async () => {
    const requests: URL[] = [];
    const server: Server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://localhost');
      requests.push(url);
      if (request.headers.authorization !== `Bearer ${token}`) {
        response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const send = (frame: object) => response.write(`data:${JSON.stringify(frame)}\n\n`);
      send(connectedFrame);
      for (const channel of url.searchParams.getAll('channel')) send({ type: 'subscribed', channel, position: 20 });
      if (requests.length === 1) {
        send(event('message_status', EMP, 21, data));
        response.write(': ping\n\n');
        send({ type: 'closing', code: 1012, reason: 'service restart' });
        response.end();
      } else {
        send(event('message_status', EMP, 22, data));
      }
    });
    cleanups.push(() => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
    const token = jwt();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ChatCentralClient({ url: `http://127.0.0.1:${port}`, token, transports: ['sse'] });
    cleanups.push(() => client.close());
    const events: RealtimeEvent[] = [];
    client.subscribe(EMP, (e) => events.push(e));
    client.connect();
    await until(() => events.length === 2);
    expect(events.map((e) => e.position)).toEqual([21, 22]);
    expect(requests.map((u) => u.pathname)).toEqual(['/realtime/sse', '/realtime/sse']);
    expect(requests[1]!.searchParams.get('since')).toBe('20');
    expect(client.state).toMatchObject({ status: 'connected', transport: 'sse' });
  });
});
