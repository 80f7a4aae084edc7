// Peer B of issue 15: a Socket.IO relay, one room per empresa, tuned for many idle connections and fan-out.
// README.md says why each option has its value.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Server } from 'socket.io';
import { TokenError, verify } from './jwt.mjs';

const MAX_PUBLISH_BODY = 1024 * 1024;
const MAX_ID_LENGTH = 200;

class BadEvent extends Error {}

function answer(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function text(event, name, { identifier = false } = {}) {
  const value = event[name];
  if (typeof value !== 'string' || value.trim() === '') throw new BadEvent(`${name} must be a non-blank string`);
  if (value.length > MAX_ID_LENGTH) throw new BadEvent(`${name} is longer than ${MAX_ID_LENGTH} characters`);
  if (value.includes('\u0000')) throw new BadEvent(`${name} must not contain NUL`);
  if (identifier && value.includes(':')) throw new BadEvent(`${name} must not contain ':'`);
  return value;
}

/** Checks the shape of chat-central's RealtimeEvent: {id, empresaId, type, channels, data, ts}. */
export function checkEvent(event) {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new BadEvent('body must be a JSON object');
  text(event, 'id');
  const empresaId = text(event, 'empresaId', { identifier: true });
  text(event, 'type');
  const { channels, data, ts } = event;
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > 50
      || !channels.every((channel) => typeof channel === 'string' && channel.trim() !== '' && channel.length <= MAX_ID_LENGTH
        && !channel.includes('\u0000'))) {
    throw new BadEvent(`channels must be an array of 1 to 50 non-blank strings of at most ${MAX_ID_LENGTH} characters without NUL`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new BadEvent('data must be a JSON object');
  if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) throw new BadEvent('ts must be an ISO-8601 instant');
  return empresaId;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_PUBLISH_BODY) {
        // Answered at once; the rest is read and dropped so the 413 reaches the client before the close.
        req.removeAllListeners('data');
        req.resume();
        reject(new BadEvent(`body larger than ${MAX_PUBLISH_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * options: {secret, issuers, audiences, clockSkewSeconds = 30, transports = ['websocket'], pingInterval = 25000,
 * pingTimeout = 5000, connectTimeout = 10000}
 */
export function createRelay(options) {
  if (!options.secret || Buffer.byteLength(options.secret) < 32) throw new Error('the JWT secret must have at least 32 bytes');
  const auth = {
    secret: Buffer.from(options.secret),
    issuers: options.issuers ?? ['chat-central-dev'],
    audiences: options.audiences ?? ['chat-central'],
    clockSkewSeconds: options.clockSkewSeconds ?? 30,
  };
  let io;

  async function publish(req, res) {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      req.resume();
      answer(res, 415, { error: 'unsupported_media_type', reason: 'Content-Type must be application/json' });
      return;
    }
    let body;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof BadEvent) answer(res, 413, { error: 'too_large', reason: e.message }, { Connection: 'close' });
      return;
    }
    let event;
    try {
      event = JSON.parse(body);
    } catch (e) {
      answer(res, 400, { error: 'bad_event', reason: `body is not JSON: ${e.message}` });
      return;
    }
    let empresaId;
    try {
      empresaId = checkEvent(event);
    } catch (e) {
      answer(res, 400, { error: 'bad_event', reason: e.message });
      return;
    }
    const room = `empresa:${empresaId}`;
    // One emit to the room: Socket.IO encodes the packet once and writes the same frame to every member.
    io.to(room).emit('event', event);
    answer(res, 202, { empresaId, subscribers: io.sockets.adapter.rooms.get(room)?.size ?? 0 });
  }

  const httpServer = createServer((req, res) => {
    const path = req.url.split('?', 1)[0];
    if (path === '/health') {
      req.resume();
      if (req.method !== 'GET') answer(res, 405, { error: 'method_not_allowed', reason: 'use GET' }, { Allow: 'GET' });
      else {
        // For the harness's memory per idle connection, beside the RSS it can read from /proc.
        const { rss, heapUsed } = process.memoryUsage();
        answer(res, 200, { status: 'UP', connections: io.engine.clientsCount, rss, heapUsed });
      }
    } else if (path === '/publish') {
      if (req.method !== 'POST') {
        req.resume();
        answer(res, 405, { error: 'method_not_allowed', reason: 'use POST' }, { Allow: 'POST' });
      } else {
        publish(req, res).catch((e) => answer(res, 500, { error: 'internal', reason: e.message }));
      }
    } else {
      req.resume();
      answer(res, 404, { error: 'not_found', reason: `no route ${path}` });
    }
  });

  io = new Server(httpServer, {
    transports: options.transports ?? ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    pingInterval: options.pingInterval ?? 25000,
    pingTimeout: options.pingTimeout ?? 5000,
    maxHttpBufferSize: 1e6,
    connectTimeout: options.connectTimeout ?? 10000,
    serveClient: false,
  });
  // The documented memory saving (socket.io/docs/v4/memory-usage): the upgrade request is not needed after the
  // handshake, and holding it costs several KB per connection.
  io.engine.on('connection', (rawSocket) => {
    rawSocket.request = null;
  });
  io.use((socket, next) => {
    try {
      const { empresaId } = verify(socket.handshake.auth?.token, auth);
      socket.join(`empresa:${empresaId}`);
      next();
    } catch (e) {
      if (!(e instanceof TokenError)) return next(e);
      const refusal = new Error('unauthorized');
      refusal.data = { reason: e.message };
      next(refusal);
    }
  });

  return {
    httpServer,
    io,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address().port));
      });
    },
    close() {
      return new Promise((resolve) => io.close(() => resolve()));
    },
  };
}

function list(value, fallback) {
  return (value ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
}

async function main() {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 23000);
  const relay = createRelay({
    secret: process.env.AGENT_JWT_SECRET,
    issuers: list(process.env.AGENT_JWT_ISSUERS, 'chat-central-dev'),
    audiences: list(process.env.AGENT_JWT_AUDIENCES, 'chat-central'),
    transports: list(process.env.SOCKETIO_TRANSPORTS, 'websocket'),
    pingInterval: Number(process.env.PING_INTERVAL_MS ?? 25000),
    pingTimeout: Number(process.env.PING_TIMEOUT_MS ?? 5000),
  });
  const bound = await relay.listen(port, process.env.HOST ?? '127.0.0.1');
  console.log(`socket.io relay listening on ${process.env.HOST ?? '127.0.0.1'}:${bound} (pid ${process.pid})`);
  const stop = () => relay.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
