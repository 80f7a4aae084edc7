import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricsCollector, type ConnectionMetrics } from '../src/metrics.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('connection metrics', () => {
  it('are collected every 10 s, rates per minute over the interval', () => {
    const collector = new MetricsCollector();
    const seen: ConnectionMetrics[] = [];
    collector.observable.subscribe((m) => seen.push(m));
    collector.start(10_000);
    collector.connectionOpened();
    collector.latency(40);
    collector.latency(60);
    collector.reconnectAttempt();
    collector.error();
    collector.error();
    vi.advanceTimersByTime(9999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen[0]).toMatchObject({ totalConnections: 1, activeConnections: 1, reconnectionRate: 6, averageLatency: 50, errorRate: 12 });
    collector.connectionClosed();
    vi.advanceTimersByTime(10_000);
    expect(seen[1]).toMatchObject({ totalConnections: 1, activeConnections: 0, reconnectionRate: 0, averageLatency: null, errorRate: 0 });
    expect(collector.observable.get()).toBe(seen[1]);
    collector.stop();
    vi.advanceTimersByTime(60_000);
    expect(seen).toHaveLength(2);
  });
});
