/**
 * The seed's `useQueueMetrics()`: the pipeline's queue figures for the QueueMonitoring page, polled from
 * `GET /api/v1/metrics/queue` (docs/rest.md), with a trend over the last hour.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChatCentral } from './provider.js';

/** Consumer lag on one input topic, over the pipeline's consumer groups: records written and not yet processed. */
export interface TopicLag {
  topic: string;
  lag: number;
}

export interface NodeConnections {
  node: string;
  connections: number;
}

/** One refresh interval (10 s) of the last hour. */
export interface QueueMetricsPoint {
  ts: string;
  queueSize: number;
  processingRate: number;
  errorRate: number;
  dlqSize: number;
  /** null before the gateway node answering sampled the empresa (it starts when a supervisor first asks) */
  onlineAtendentes: number | null;
  /** connections per gateway node in that interval */
  connections: Record<string, number>;
}

/** The answer of `GET /api/v1/metrics/queue`. */
export interface QueueMetricsReport {
  ts: string;
  /** the sum of `lag` */
  queueSize: number;
  lag: TopicLag[];
  /** webhooks processed per minute, over the last minute, every processor node */
  processingRate: number;
  /** records written to PostgreSQL per minute, over the last minute */
  writtenPerMinute: number;
  /** percent of the last minute's webhooks given up on (dead-lettered or dropped) */
  errorRate: number;
  /** records held in the DLQ, every empresa's */
  dlqSize: number;
  /** the caller's empresa's atendentes online now */
  onlineAtendentes: number;
  connections: NodeConnections[];
  /** processor nodes reporting */
  processorNodes: number;
  /** oldest first, one point per 10 s over the last hour */
  history: QueueMetricsPoint[];
}

export interface QueueMetrics {
  /** the latest report; null before the first answer */
  report: QueueMetricsReport | null;
  queueSize: number | null;
  processingRate: number | null;
  errorRate: number | null;
  /** why the last poll failed (the report shown is then the previous one); null after a success */
  error: Error | null;
  /** poll now (e.g. after a redrive) */
  refresh(): Promise<void>;
}

export const QUEUE_METRICS_PATH = '/api/v1/metrics/queue';

/** Polls the queue figures every `intervalMs` (default 10 s, the seed's collection interval) while mounted. */
export function useQueueMetrics({ intervalMs = 10_000 }: { intervalMs?: number } = {}): QueueMetrics {
  const { rest } = useChatCentral();
  const [report, setReport] = useState<QueueMetricsReport | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const mounted = useRef(true);
  const refresh = useCallback(async () => {
    try {
      const next = await rest.get<QueueMetricsReport>(QUEUE_METRICS_PATH);
      if (!mounted.current) return;
      setReport(next);
      setError(null);
    } catch (failure) {
      if (mounted.current) setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }, [rest]);
  useEffect(() => {
    mounted.current = true;
    void refresh();
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [refresh, intervalMs]);
  return {
    report,
    queueSize: report?.queueSize ?? null,
    processingRate: report?.processingRate ?? null,
    errorRate: report?.errorRate ?? null,
    error,
    refresh,
  };
}
