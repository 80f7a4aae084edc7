/**
 * The seed's `ConnectionMetrics`, measured by this client and published every `intervalMs` (10 s, as in the seed's
 * `useConnectionMetrics`). Rates are per minute over the interval just ended, so they read the same whatever the
 * interval; the gateway's own meters (docs/protocol.md "Metrics") give the server's view of all clients.
 */
import { Value, type Observable } from './emitter.js';

export interface ConnectionMetrics {
  /** sessions established since the client was created (a `connected`, or a first long-poll answer) */
  totalConnections: number;
  /** sessions open now: 0 or 1 */
  activeConnections: number;
  /** reconnection attempts per minute over the last interval */
  reconnectionRate: number;
  /** mean ping-to-pong round trip in ms over the last interval; null when none was measured (SSE, long-poll) */
  averageLatency: number | null;
  /** errors per minute over the last interval: error frames, failed connections, malformed frames */
  errorRate: number;
  /** epoch ms of this collection */
  collectedAt: number;
}

export class MetricsCollector {
  private readonly value: Value<ConnectionMetrics>;
  private total = 0;
  private active = 0;
  private reconnects = 0;
  private errors = 0;
  private latencies: number[] = [];
  private windowStart = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(onListenerError?: (error: unknown) => void) {
    this.value = new Value<ConnectionMetrics>(
      { totalConnections: 0, activeConnections: 0, reconnectionRate: 0, averageLatency: null, errorRate: 0, collectedAt: this.windowStart },
      onListenerError,
    );
  }

  get observable(): Observable<ConnectionMetrics> {
    return this.value;
  }

  connectionOpened(): void {
    this.total++;
    this.active++;
  }

  connectionClosed(): void {
    this.active = Math.max(0, this.active - 1);
  }

  reconnectAttempt(): void {
    this.reconnects++;
  }

  latency(ms: number): void {
    this.latencies.push(ms);
  }

  error(): void {
    this.errors++;
  }

  start(intervalMs: number): void {
    if (this.timer !== undefined) return;
    this.windowStart = Date.now();
    this.timer = setInterval(() => this.collect(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private collect(): void {
    const now = Date.now();
    const perMinute = 60_000 / Math.max(1, now - this.windowStart);
    const sum = this.latencies.reduce((a, b) => a + b, 0);
    this.value.set({
      totalConnections: this.total,
      activeConnections: this.active,
      reconnectionRate: this.reconnects * perMinute,
      averageLatency: this.latencies.length === 0 ? null : sum / this.latencies.length,
      errorRate: this.errors * perMinute,
      collectedAt: now,
    });
    this.reconnects = 0;
    this.errors = 0;
    this.latencies = [];
    this.windowStart = now;
  }
}
