/**
 * The empresa's queue for the supervisor's page: read over REST (`GET /api/v1/empresa/queue`) on mount, every
 * `intervalMs`, and shortly after each realtime event that may have changed it; plus the SLAs at risk, from the
 * `sla_warning` and `sla_breached` events on `empresa:{empresaId}` until the conversa events that end them.
 */
import { fetchEmpresaQueue, type EmpresaQueue, type RealtimeEvent } from '@chat-central/client';
import { useChannel, useChatCentral, useConnectionState } from '@chat-central/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { applySlaEvent, changesQueue, type SlaRisks } from './queueState';

export interface EmpresaQueueOptions {
  /** how often the queue is read again without any event (default 15 s) */
  intervalMs?: number;
  /** how long after an event the queue is read, so a burst of events costs one read (default 500 ms) */
  settleMs?: number;
}

export interface EmpresaQueueState {
  /** the latest answer; null before the first */
  queue: EmpresaQueue | null;
  /** this browser's clock when `queue` arrived: waits shown count from `queue.ts` plus the time since */
  receivedAt: number | null;
  /** why the last read failed (the queue shown is then the previous one); null after a success */
  error: Error | null;
  risks: SlaRisks;
}

const NO_RISKS: SlaRisks = new Map();

export function useEmpresaQueue({ intervalMs = 15_000, settleMs = 500 }: EmpresaQueueOptions = {}): EmpresaQueueState {
  const { rest, claims } = useChatCentral();
  const empresaId = useConnectionState().session?.empresaId ?? claims?.empresaId ?? null;
  const [state, setState] = useState<Omit<EmpresaQueueState, 'risks'>>({ queue: null, receivedAt: null, error: null });
  const [risks, setRisks] = useState<SlaRisks>(NO_RISKS);
  const mounted = useRef(true);
  // one read at a time: an event during a read asks for one more after it, not a second read racing the first
  const reading = useRef(false);
  const again = useRef(false);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const read = useCallback(async () => {
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = true;
    try {
      do {
        again.current = false;
        try {
          const queue = await fetchEmpresaQueue(rest);
          if (mounted.current) setState({ queue, receivedAt: Date.now(), error: null });
        } catch (failure) {
          if (mounted.current) setState((held) => ({ ...held, error: failure instanceof Error ? failure : new Error(String(failure)) }));
        }
      } while (again.current && mounted.current);
    } finally {
      reading.current = false;
    }
  }, [rest]);

  useEffect(() => {
    mounted.current = true;
    void read();
    const timer = setInterval(() => void read(), intervalMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      if (settle.current !== null) clearTimeout(settle.current);
      settle.current = null;
    };
  }, [read, intervalMs]);

  const onEvent = (event: RealtimeEvent) => {
    setRisks((held) => applySlaEvent(held, event));
    if (!changesQueue(event) || settle.current !== null) return;
    settle.current = setTimeout(() => {
      settle.current = null;
      void read();
    }, settleMs);
  };
  useChannel(empresaId === null ? null : `empresa:${empresaId}`, onEvent);
  useChannel(empresaId === null ? null : `presence:${empresaId}`, onEvent);
  return { ...state, risks };
}
