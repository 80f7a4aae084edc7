// Load client for the Socket.IO relay: many idle connections, and the fan-out of one event to a room's subscribers.
//   node client.mjs idle   <url> [connections=1000] [hold seconds=30] [empresas=1]
//   node client.mjs fanout <url> [subscribers=1000] [events=50] [pause ms=200] [warm-up events=20] [worker threads=1]
// The token secret is AGENT_JWT_SECRET. Prints one JSON line on stdout; progress goes to stderr.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
export async function openConnections({
  url, secret, connections, empresaId, empresas = 1, firstIndex = 0, concurrency = 100, timeoutMs = 10000,
}) {
  const sockets = [];
  const failures = [];
  let failed = 0;
  let next = 0;
  const openOne = (i) => new Promise((resolve) => {
    const token = mintAgentToken(secret, { sub: `user-${firstIndex + i}`, empresaId: empresaId ?? `emp-${i % empresas}` });
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

// CLOCK_MONOTONIC, shared by every thread of the process, so a worker's arrival and the main thread's send compare.
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * `count` subscribers of one empresa on this thread. Once each of them read an event, calls report(id, arrivals)
 * with the moments they read it. One handler shared by every socket: nothing is allocated per subscriber.
 */
async function openShard({ url, secret, count, empresaId, firstIndex, concurrency }, report) {
  const pool = await openConnections({ url, secret, connections: count, empresaId, firstIndex, concurrency });
  const pending = new Map();
  const onEvent = (event) => {
    const at = nowMs();
    let copies = pending.get(event.id);
    if (copies === undefined) {
      copies = { arrivals: new Float64Array(pool.sockets.length), read: 0 };
      pending.set(event.id, copies);
    }
    copies.arrivals[copies.read++] = at;
    if (copies.read === pool.sockets.length) {
      pending.delete(event.id);
      report(event.id, copies.arrivals);
    }
  };
  for (const socket of pool.sockets) socket.on('event', onEvent);
  return pool;
}

function shardInWorker(options, report) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'fanout-shard', ...options } });
    worker.once('error', reject);
    worker.on('message', (message) => {
      if (message.type === 'copies') report(message.id, message.arrivals);
      else if (message.type === 'ready') {
        resolve({ failed: message.failed, failures: message.failures, close: () => worker.postMessage('close') });
      }
    });
  });
}

/**
 * Opens `subscribers` connections of one empresa, spread over `workers` threads (one thread reading 10,000 sockets
 * would measure itself more than the relay), then publishes `warmupEvents` + `events` events to it one after the
 * other, the next once every copy of the previous arrived and `pauseMs` passed. Latency of a copy = POST /publish
 * sent → the copy read by its subscriber. Reports, over the events after the warm-up, the last copy of each event
 * (when the whole fan-out was done) and every copy.
 */
export async function measureFanout({
  url, secret, subscribers, events, pauseMs = 200, warmupEvents = 20, workers = 1, empresaId = 'emp-fanout',
  eventTimeoutMs = 30000, concurrency,
}) {
  if (!(subscribers >= 1 && events >= 1)) throw new Error('a fan-out needs at least one subscriber and one event');
  const publishUrl = new URL('/publish', url).href;
  const waiting = new Map();
  const report = (id, arrivals) => {
    const event = waiting.get(id);
    if (event === undefined) return;
    event.arrivals.push(arrivals);
    if (event.arrivals.length === event.shards) event.done();
  };
  const threads = Math.max(1, Math.min(workers, subscribers));
  const shards = await Promise.all(Array.from({ length: threads }, (_, w) => {
    const firstIndex = Math.floor((w * subscribers) / threads);
    const options = { url, secret, count: Math.floor(((w + 1) * subscribers) / threads) - firstIndex, empresaId, firstIndex, concurrency };
    return threads === 1 ? openShard(options, report) : shardInWorker(options, report);
  }));
  const closeAll = () => shards.forEach((shard) => shard.close());
  const failed = shards.reduce((sum, shard) => sum + shard.failed, 0);
  if (failed > 0) {
    closeAll();
    throw new Error(`${failed} of ${subscribers} connections refused: ${shards.flatMap((shard) => shard.failures).slice(0, 10).join('; ')}`);
  }
  const lastCopies = [];
  const everyCopy = new Float64Array(subscribers * events);
  let copies = 0;
  try {
    for (let i = 0; i < warmupEvents + events; i++) {
      const id = `fanout-${process.pid}-${i}`;
      const event = { shards: threads, arrivals: [] };
      const arrived = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`event ${i}: ${threads - event.arrivals.length} of ${threads} shards still missing copies after ${eventTimeoutMs} ms`)), eventTimeoutMs);
        event.done = () => { clearTimeout(timer); resolve(); };
      });
      waiting.set(id, event);
      const sentAt = nowMs();
      const answer = await publish(publishUrl, {
        id, empresaId, type: 'message_notification', channels: [`empresa:${empresaId}`],
        data: { seq: i }, ts: new Date().toISOString(),
      });
      if (answer.subscribers !== subscribers) throw new Error(`the relay counted ${answer.subscribers} subscribers, expected ${subscribers}`);
      await arrived;
      waiting.delete(id);
      if (i >= warmupEvents) {
        let last = 0;
        for (const arrivals of event.arrivals) {
          for (const at of arrivals) {
            everyCopy[copies++] = at - sentAt;
            last = Math.max(last, at - sentAt);
          }
        }
        lastCopies.push(last);
      }
      if (pauseMs > 0 && i < warmupEvents + events - 1) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    closeAll();
  }
  return {
    subscribers, events, warmupEvents, workers: threads,
    lastCopyMs: summary(lastCopies), everyCopyMs: summary(everyCopy.subarray(0, copies)),
  };
}

async function main() {
  const [mode, url, ...rest] = process.argv.slice(2);
  const secret = process.env.AGENT_JWT_SECRET;
  if (!secret || !url || !['idle', 'fanout'].includes(mode)) {
    console.error('usage: AGENT_JWT_SECRET=… node client.mjs idle|fanout <url> [count] [hold s | events] [empresas | pause ms] [warm-up events] [worker threads]');
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
    const [subscribers = 1000, events = 50, pauseMs = 200, warmupEvents = 20, workers = 1] = numbers;
    console.log(JSON.stringify({ mode, ...await measureFanout({ url, secret, subscribers, events, pauseMs, warmupEvents, workers }) }));
  }
}

if (!isMainThread && workerData?.role === 'fanout-shard') {
  const pool = await openShard(workerData, (id, arrivals) => parentPort.postMessage({ type: 'copies', id, arrivals }, [arrivals.buffer]));
  parentPort.postMessage({ type: 'ready', failed: pool.failed, failures: pool.failures });
  parentPort.on('message', () => {
    pool.close();
    parentPort.close();
  });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
