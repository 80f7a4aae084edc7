// Load client for the Socket.IO relay: many idle connections, and the fan-out of one event to a room's subscribers.
//   node client.mjs idle   <url> [connections=1000] [hold seconds=30] [empresas=1]
//   node client.mjs fanout <url> [subscribers=1000] [events=50] [pause ms=200]
// The token secret is AGENT_JWT_SECRET. Prints one JSON line on stdout; progress goes to stderr.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { io } from 'socket.io-client';
import { mintAgentToken } from './jwt.mjs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const round = (v) => Math.round(v * 100) / 100;
  return { count: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/**
 * Opens `connections` Socket.IO connections over WebSocket only, `concurrency` handshakes at a time, connection i
 * of empresa `emp-{i % empresas}` unless `empresaId` names one. Resolves when every handshake ended, with the
 * connected sockets and the refusals' reasons (the first ten).
 */
export async function openConnections({ url, secret, connections, empresaId, empresas = 1, concurrency = 100, timeoutMs = 10000 }) {
  const sockets = [];
  const failures = [];
  let failed = 0;
  let next = 0;
  const openOne = (i) => new Promise((resolve) => {
    const token = mintAgentToken(secret, { sub: `user-${i}`, empresaId: empresaId ?? `emp-${i % empresas}` });
    // forceNew: one WebSocket per client, as N browsers would have; no reconnection, so a drop is counted, not hidden.
    const socket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false, timeout: timeoutMs });
    let settled = false;
    const refused = (reason) => {
      if (settled) return;
      settled = true;
      failed += 1;
      if (failures.length < 10) failures.push(reason);
      socket.close();
      resolve();
    };
    socket.once('connect', () => {
      settled = true;
      sockets.push(socket);
      resolve();
    });
    socket.once('connect_error', (e) => refused(e.data?.reason ?? e.message));
    // A handshake the server drops (a packet above its maxHttpBufferSize) closes the transport without connect_error;
    // a refusal closes it too, just before its connect_error, hence the deferral.
    socket.io.once('close', (reason) => setImmediate(() => refused(`transport closed before connect: ${reason}`)));
  });
  const worker = async () => {
    while (next < connections) await openOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, connections) }, worker));
  return {
    sockets,
    failed,
    failures,
    close() {
      for (const socket of sockets) socket.close();
    },
  };
}

async function publish(publishUrl, event) {
  const response = await fetch(publishUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Opens `subscribers` connections of one empresa, then publishes `events` events to it one after the other (the
 * next once every copy of the previous arrived, after `pauseMs`). Latency of a copy = POST /publish sent → the copy
 * read by its subscriber, on this process's monotonic clock. Reports the last copy of each event (p50/p99/max over
 * the events) and every copy.
 */
export async function measureFanout({ url, secret, subscribers, events, pauseMs = 200, empresaId = 'emp-fanout', eventTimeoutMs = 30000, concurrency }) {
  const publishUrl = new URL('/publish', url).href;
  const pool = await openConnections({ url, secret, connections: subscribers, empresaId, concurrency });
  if (pool.failed > 0) {
    pool.close();
    throw new Error(`${pool.failed} of ${subscribers} connections refused: ${pool.failures.join('; ')}`);
  }
  const lastCopies = [];
  const everyCopy = new Float64Array(subscribers * events);
  let copies = 0;
  let current = null;
  // One handler shared by every socket: the measurement allocates nothing per subscriber.
  const onEvent = (event) => {
    if (current === null || event.id !== current.id) return;
    const latency = performance.now() - current.sentAt;
    everyCopy[copies++] = latency;
    current.remaining -= 1;
    if (current.remaining === 0) current.done(latency);
  };
  for (const socket of pool.sockets) socket.on('event', onEvent);
  try {
    for (let i = 0; i < events; i++) {
      const id = `fanout-${process.pid}-${i}`;
      const arrived = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`event ${i}: ${current.remaining} of ${subscribers} copies missing after ${eventTimeoutMs} ms`)), eventTimeoutMs);
        current = { id, remaining: subscribers, sentAt: 0, done: (latency) => { clearTimeout(timer); resolve(latency); } };
      });
      current.sentAt = performance.now();
      const answer = await publish(publishUrl, {
        id, empresaId, type: 'message_notification', channels: [`empresa:${empresaId}`],
        data: { seq: i }, ts: new Date().toISOString(),
      });
      if (answer.subscribers !== subscribers) throw new Error(`the relay counted ${answer.subscribers} subscribers, expected ${subscribers}`);
      lastCopies.push(await arrived);
      current = null;
      if (pauseMs > 0 && i < events - 1) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    current = null;
    pool.close();
  }
  return { subscribers, events, lastCopyMs: summary(lastCopies), everyCopyMs: summary(everyCopy.subarray(0, copies)) };
}

async function main() {
  const [mode, url, ...rest] = process.argv.slice(2);
  const secret = process.env.AGENT_JWT_SECRET;
  if (!secret || !url || !['idle', 'fanout'].includes(mode)) {
    console.error('usage: AGENT_JWT_SECRET=… node client.mjs idle|fanout <url> [count] [hold s | events] [empresas | pause ms]');
    process.exit(2);
  }
  const numbers = rest.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    console.error('counts, seconds and pauses must be non-negative integers');
    process.exit(2);
  }
  if (mode === 'idle') {
    const [connections = 1000, holdSeconds = 30, empresas = 1] = numbers;
    const started = performance.now();
    const pool = await openConnections({ url, secret, connections, empresas: Math.max(1, empresas) });
    const openSeconds = (performance.now() - started) / 1000;
    let dropped = 0;
    for (const socket of pool.sockets) socket.once('disconnect', () => { dropped += 1; });
    console.error(`${pool.sockets.length} connected, ${pool.failed} refused in ${openSeconds.toFixed(1)} s; holding ${holdSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
    console.log(JSON.stringify({ mode, connections, connected: pool.sockets.length, refused: pool.failed, failures: pool.failures, openSeconds, holdSeconds, droppedWhileHeld: dropped }));
    pool.close();
  } else {
    const [subscribers = 1000, events = 50, pauseMs = 200] = numbers;
    console.log(JSON.stringify({ mode, ...await measureFanout({ url, secret, subscribers, events, pauseMs }) }));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
