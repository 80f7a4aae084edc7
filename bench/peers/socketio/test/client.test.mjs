import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { measureFanout, openConnections, percentile } from '../client.mjs';
import { SECRET, startRelay } from './support.mjs';

const CLIENT = fileURLToPath(new URL('../client.mjs', import.meta.url));
const run = promisify(execFile);

test('shouldTakeNearestRankPercentile', () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100)], [50, 99, 100]);
  assert.equal(percentile(Float64Array.of(7), 99), 7);
  assert.ok(Number.isNaN(percentile(new Float64Array(0), 50)));
});

describe('load client', () => {
  let server;
  before(async () => { server = await startRelay(); });
  after(() => server.relay.close());

  test('shouldMeasureLastCopyOfFanoutTo50Subscribers', async () => {
    const result = await measureFanout({ url: server.url, secret: SECRET, subscribers: 50, events: 5, pauseMs: 10, warmupEvents: 2 });
    assert.deepEqual([result.subscribers, result.warmupEvents, result.workers], [50, 2, 1]);
    assert.equal(result.lastCopyMs.count, 5);
    assert.equal(result.everyCopyMs.count, 250);
    for (const stats of [result.lastCopyMs, result.everyCopyMs]) {
      assert.ok(stats.p50 > 0 && stats.p50 <= stats.p99 && stats.p99 <= stats.max, JSON.stringify(stats));
    }
    // The last copy of an event is its slowest one.
    assert.ok(result.lastCopyMs.p50 >= result.everyCopyMs.p50);
    assert.ok(await settled(server), 'the client closed its connections');
  });

  test('shouldMeasureFanoutTo50SubscribersSpreadOverWorkerThreads', async () => {
    const result = await measureFanout({ url: server.url, secret: SECRET, subscribers: 50, events: 4, pauseMs: 0, warmupEvents: 1, workers: 3 });
    assert.deepEqual([result.workers, result.lastCopyMs.count, result.everyCopyMs.count], [3, 4, 200]);
    // Arrivals read on other threads share the main thread's clock: no copy before its publish, none absurdly late.
    assert.ok(result.everyCopyMs.p50 > 0 && result.everyCopyMs.max < 30000, JSON.stringify(result.everyCopyMs));
    assert.ok(await settled(server), 'the workers closed their connections');
  });

  test('shouldOpenIdleConnectionsOverManyEmpresas', async () => {
    const pool = await openConnections({ url: server.url, secret: SECRET, connections: 60, empresas: 3 });
    try {
      assert.deepEqual([pool.sockets.length, pool.failed], [60, 0]);
      const rooms = server.relay.io.sockets.adapter.rooms;
      assert.deepEqual(['emp-0', 'emp-1', 'emp-2'].map((e) => rooms.get(`empresa:${e}`)?.size), [20, 20, 20]);
    } finally {
      pool.close();
    }
  });

  test('shouldCountRefusedConnectionsWithTheirReason', async () => {
    const pool = await openConnections({ url: server.url, secret: 'another-secret-of-at-least-32-bytes!!', connections: 12 });
    assert.deepEqual([pool.sockets.length, pool.failed], [0, 12]);
    assert.equal(pool.failures.length, 10);
    assert.ok(pool.failures.every((reason) => reason === 'bad signature'), pool.failures.join());
  });

  test('shouldFailFanoutWhenSubscribersAreRefused', async () => {
    for (const workers of [1, 2]) {
      await assert.rejects(
        measureFanout({ url: server.url, secret: 'another-secret-of-at-least-32-bytes!!', subscribers: 3, events: 1, workers }),
        /3 of 3 connections refused: bad signature/,
      );
    }
  });

  test('shouldRefuseFanoutWithoutSubscribersOrEvents', async () => {
    await assert.rejects(measureFanout({ url: server.url, secret: SECRET, subscribers: 0, events: 5 }), /at least one subscriber/);
    await assert.rejects(measureFanout({ url: server.url, secret: SECRET, subscribers: 5, events: 0 }), /at least one subscriber and one event/);
  });

  test('shouldPrintFanoutAsOneJsonLineFromTheCommandLine', async () => {
    const { stdout } = await run(process.execPath, [CLIENT, 'fanout', server.url, '20', '3', '0', '1', '2'], { env: { ...process.env, AGENT_JWT_SECRET: SECRET }, timeout: 30000 });
    const result = JSON.parse(stdout);
    assert.deepEqual([result.mode, result.subscribers, result.workers, result.lastCopyMs.count, result.everyCopyMs.count], ['fanout', 20, 2, 3, 60]);
  });

  test('shouldRefuseCommandLineWithoutSecretOrWithBadNumbers', async () => {
    const env = { ...process.env };
    delete env.AGENT_JWT_SECRET;
    await assert.rejects(run(process.execPath, [CLIENT, 'fanout', server.url], { env }), (e) => e.code === 2 && /usage/.test(e.stderr));
    await assert.rejects(run(process.execPath, [CLIENT, 'idle', server.url, '-5'], { env: { ...env, AGENT_JWT_SECRET: SECRET } }),
      (e) => e.code === 2 && /non-negative integers/.test(e.stderr));
  });
});

async function settled(server) {
  const started = Date.now();
  while (server.relay.io.sockets.sockets.size > 0 && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 10));
  return server.relay.io.sockets.sockets.size === 0;
}
