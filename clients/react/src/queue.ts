/**
 * The seed's `useQueueMetrics()`: the pipeline's queue figures for the QueueMonitoring page, polled from
 * `GET /api/v1/metrics/queue` (clients/console/SERVER-API.md), with a trend over the last hour.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChatCentral } from './provider.js';

/** Consumer lag of one consumer group on one topic: records written and not yet processed. */
export interface TopicLag {
  topic: string;
  group: string;
  lag: number;
}

export interface NodeConnections {
  node: string;
  connections: number;
}

/** One minute of the last hour. */
export interface QueueMetricsPoint {
  ts: string;
  queueSize: number;
  processingRate: number;
  errorRate: number;
  dlqSize: number;
  onlineAtendentes: number;
  /** connections per gateway node at that minute */
  connections: Record<string, number>;
}

/** The answer of `GET /api/v1/metrics/queue`. */
export interface QueueMetricsReport {
  ts: string;
  /** the sum of `lag` */
  queueSize: number;
  lag: TopicLag[];
  /** records processed per minute, over the last minute */
  processingRate: number;
  /** dead letters per 100 records processed, over the last minute */
  errorRate: number;
  /** live dead letters of the caller's empresa */
  dlqSize: number;
  onlineAtendentes: number;
  connections: NodeConnections[];
  /** oldest first, one point a minute over the last hour */
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
