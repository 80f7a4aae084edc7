/**
 * The empresa's live service figures for the QueueMonitoring page: read once from `GET /api/v1/metrics/service`
 * (docs/rest.md), then replaced by every `service_metrics` event on `empresa:{empresaId}` (docs/protocol.md), which
 * the analytics application's figures reach every few seconds.
 */
import type { RealtimeEvent, ServiceMetrics } from '@chat-central/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChannel, useConnectionState } from './hooks.js';
import { useChatCentral } from './provider.js';

export const SERVICE_METRICS_PATH = '/api/v1/metrics/service';

export interface ServiceMetricsState {
  /** the latest figures; null before the first answer or event. `ts` null in them: none were computed yet */
  figures: ServiceMetrics | null;
  /** why the REST read failed; null after a success or once an event brought figures */
  error: Error | null;
  /** read the figures over REST again (e.g. after a reconnect that missed events) */
  refresh(): Promise<void>;
}

/** Figures computed later win: the REST answer may arrive after an event that is newer than it. */
function newer(held: ServiceMetrics | null, next: ServiceMetrics): boolean {
  if (held === null || held.ts === null) return true;
  return next.ts !== null && Date.parse(next.ts) >= Date.parse(held.ts);
}

/** The seed-style hook of the supervisor's service figures, for the caller's own empresa. */
export function useServiceMetrics(): ServiceMetricsState {
  const { rest, claims } = useChatCentral();
  const empresaId = useConnectionState().session?.empresaId ?? claims?.empresaId ?? null;
  const [figures, setFigures] = useState<ServiceMetrics | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const mounted = useRef(true);
  const keep = useCallback((next: ServiceMetrics) => setFigures((held) => (newer(held, next) ? next : held)), []);
  const refresh = useCallback(async () => {
    try {
      const answer = await rest.get<ServiceMetrics>(SERVICE_METRICS_PATH);
      if (!mounted.current) return;
      keep(answer);
      setError(null);
    } catch (failure) {
      if (mounted.current) setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }, [rest, keep]);
  useEffect(() => {
    mounted.current = true;
    void refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);
  useChannel(empresaId === null ? null : `empresa:${empresaId}`, (event: RealtimeEvent) => {
    if (event.type !== 'service_metrics' || event.data.empresaId !== empresaId) return;
    keep(event.data);
    setError(null);
  });
  return { figures, error, refresh };
}
