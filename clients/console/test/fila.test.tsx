/** The supervisor's QueueMonitoring page with given metrics. */
import type { ServiceFigures, ServiceMetrics } from '@chat-central/client';
import type { QueueMetricsReport } from '@chat-central/react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMPRESA, advance, jwt, renderConsole } from './support';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const supervisor = jwt({ name: 'Sônia', roles: ['supervisor'] });

function report(fields: Partial<QueueMetricsReport> = {}): QueueMetricsReport {
  const history = Array.from({ length: 60 }, (_, minute) => ({
    ts: new Date(Date.UTC(2026, 10, 29, 9, minute)).toISOString(),
    queueSize: minute % 7,
    processingRate: 1000 + minute,
    errorRate: minute === 59 ? 2.5 : 0,
    dlqSize: minute >= 50 ? 3 : 0,
    onlineAtendentes: minute < 5 ? null : 4,
    connections: { 'gateway-a': 10 + (minute % 3), 'gateway-b': 8 },
  }));
  return {
    ts: '2026-11-29T10:00:00Z',
    queueSize: 128,
    lag: [
      { topic: 'chat.webhooks', lag: 120 },
      { topic: 'chat.commands', lag: 8 },
    ],
    processingRate: 1234.5,
    writtenPerMinute: 2400,
    errorRate: 2.5,
    dlqSize: 3,
    onlineAtendentes: 4,
    connections: [
      { node: 'gateway-a', connections: 11 },
      { node: 'gateway-b', connections: 8 },
    ],
    processorNodes: 1,
    history,
    ...fields,
  };
}

const value = (id: string) => screen.getByTestId(`metric-${id}-value`).textContent;

describe('QueueMonitoring', () => {
  it('shows each figure with its trend over the last hour, and refreshes every 10 s', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    await ui.connect();
    const request = await ui.answer('/api/v1/metrics/queue', report());
    expect(request.headers.Authorization).toBe(`Bearer ${supervisor}`);
    expect(value('queue-size')).toBe('128');
    expect(screen.getAllByTestId('topic-lag').map((row) => row.textContent)).toEqual([
      'chat.webhooks120',
      'chat.commands8',
    ]);
    expect(value('processing-rate')).toBe('1.234,5/min');
    expect(value('error-rate')).toBe('2,5%');
    expect(value('dlq-size')).toBe('3');
    expect(value('online-atendentes')).toBe('4');
    expect(screen.getAllByTestId('node-connections').map((n) => [n.dataset.node, n.querySelector('strong')!.textContent])).toEqual([
      ['gateway-a', '11'],
      ['gateway-b', '8'],
    ]);
    const lines = screen.getAllByTestId('sparkline');
    expect(lines).toHaveLength(7);
    // the online trend starts when the gateway first sampled the empresa
    expect(lines.map((line) => line.dataset.points)).toEqual(['60', '60', '60', '60', '55', '60', '60']);
    expect(lines[0]!.querySelector('polyline')!.getAttribute('points')!.split(' ')).toHaveLength(60);

    await advance(10_000);
    await ui.answer('/api/v1/metrics/queue', report({ queueSize: 7 }));
    expect(value('queue-size')).toBe('7');
  });

  it('redrives the DLQ and reads the figures again', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    await ui.connect();
    await ui.answer('/api/v1/metrics/queue', report());
    fireEvent.click(screen.getByTestId('redrive-button'));
    const redrive = await ui.answer('/api/v1/dlq/redrive', { redriven: 3 });
    expect(redrive.method).toBe('POST');
    expect(redrive.body).toEqual({});
    await ui.answer('/api/v1/metrics/queue', report({ dlqSize: 0 }));
    expect(screen.getByTestId('redrive-result').textContent).toBe('3 mensagens reenviadas para processamento.');
    expect(value('dlq-size')).toBe('0');
    expect((screen.getByTestId('redrive-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says why a poll failed and keeps the last figures', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    await ui.connect();
    await ui.answer('/api/v1/metrics/queue', report());
    await advance(10_000);
    await ui.answer('/api/v1/metrics/queue', { error: 'unavailable', reason: 'Kafka did not answer' }, {}, 503);
    expect(screen.getByRole('alert').textContent).toContain('Kafka did not answer');
    expect(value('queue-size')).toBe('128');
  });

  it('is offered to supervisors only', async () => {
    const ui = renderConsole({ hash: '#/fila' });
    await ui.connect();
    expect(screen.queryByTestId('nav-fila')).toBeNull();
    expect(screen.queryByTestId('queue-monitoring')).toBeNull();
    expect(ui.http.requests.filter((r) => r.url.pathname === '/api/v1/metrics/queue')).toEqual([]);
    act(() => fireEvent.click(screen.getByTestId('nav-conversas')));
    expect(globalThis.location.hash).toBe('#/conversas');
  });
});

function counters(fields: Partial<ServiceFigures> = {}): ServiceFigures {
  return {
    assigned: 4, firstAssignmentMsSum: 40_000, firstAssignmentMsMax: 20_000, firstResponses: 2, firstResponseMsSum: 90_000,
    firstResponseMsMax: 60_000, closed: 3, handlingMsSum: 1_080_000, handlingMsMax: 600_000, mensagensIn: 12,
    mensagensOut: 9, slaBreaches: 1, ...fields,
  };
}

function service(fields: Partial<ServiceMetrics> = {}): ServiceMetrics {
  return {
    empresaId: EMPRESA,
    ts: '2026-11-30T10:00:30Z',
    waiting: 5,
    longestWaitMs: 125_000,
    windows: [
      { size: '1m', start: '2026-11-30T10:00:00Z', end: '2026-11-30T10:01:00Z', empresa: counters(), byAtendente: [] },
      {
        size: '1h', start: '2026-11-30T10:00:00Z', end: '2026-11-30T11:00:00Z',
        empresa: counters({ firstResponses: 10, firstResponseMsSum: 300_000, closed: 0, handlingMsSum: 0, slaBreaches: 7 }),
        byAtendente: [],
      },
    ],
    atendentes: [
      { atendenteId: 'ana', open: 3, awaitingReply: 2, longestAwaitingMs: 45_000 },
      { atendenteId: 'bia', open: 1, awaitingReply: 0, longestAwaitingMs: 0 },
    ],
    ...fields,
  };
}

const shown = (id: string) => screen.getByTestId(id).textContent;

describe('QueueMonitoring: live service figures', () => {
  // the figures' own clock: a token minted then, figures computed seconds before
  let chefe: string;
  beforeEach(() => {
    vi.setSystemTime(new Date('2026-11-30T10:00:40Z'));
    chefe = jwt({ name: 'Sônia', roles: ['supervisor'] });
  });
  it('shows the figures read once over REST, then each service_metrics event, without reading again', async () => {
    const ui = renderConsole({ token: chefe, hash: '#/fila' });
    const socket = await ui.connect();
    const request = await ui.answer('/api/v1/metrics/service', service());
    expect(request.headers.Authorization).toBe(`Bearer ${chefe}`);
    expect(shown('service-waiting-value')).toBe('5');
    expect(shown('service-longest-wait')).toBe('2 min 5 s');
    expect(shown('service-first-response-minute')).toBe('45 s');
    expect(shown('service-first-response-hour')).toBe('30 s');
    expect(shown('service-handling-minute')).toBe('6 min');
    // nothing closed in the hour: no average to show
    expect(shown('service-handling-hour')).toBe('—');
    expect(shown('service-sla-breaches-minute')).toBe('1');
    expect(shown('service-sla-breaches-hour')).toBe('7');
    const rows = () => screen.getAllByTestId('atendente-load-row').map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows()).toEqual([
      ['ana', '3', '2', '45 s'],
      ['bia', '1', '0', '—'],
    ]);
    // named as presence knows them while online
    act(() =>
      socket.receive({
        type: 'presence_snapshot', channel: `presence:${EMPRESA}`,
        data: { empresaId: EMPRESA, online: [{ userId: 'ana', name: 'Ana Souza', status: 'disponivel', since: '2026-11-30T09:00:00Z' }], count: 1, version: 2, ts: '2026-11-30T10:00:00Z' },
      }),
    );
    expect(rows().map((row) => row[0])).toEqual(['Ana Souza', 'bia']);

    act(() =>
      socket.receive({
        type: 'service_metrics', channel: `empresa:${EMPRESA}`, id: 'sm-1', ephemeral: true, ts: '2026-11-30T10:00:35Z',
        data: service({ ts: '2026-11-30T10:00:35Z', waiting: 6, longestWaitMs: 3_725_000, atendentes: [] }),
      }),
    );
    expect(shown('service-waiting-value')).toBe('6');
    expect(shown('service-longest-wait')).toBe('1 h 2 min');
    expect(screen.queryByTestId('atendente-load')).toBeNull();

    await advance(30_000);
    expect(ui.http.requests.filter((r) => r.url.pathname === '/api/v1/metrics/service')).toHaveLength(1);
  });

  it('warns when customers wait and no new figures came for a minute, and not when nobody waits', async () => {
    const ui = renderConsole({ token: chefe, hash: '#/fila' });
    const socket = await ui.connect();
    await ui.answer('/api/v1/metrics/service', service({ ts: '2026-11-30T10:00:30Z', waiting: 0, longestWaitMs: 0 }));
    await advance(70_000);
    expect(screen.queryByTestId('service-stale')).toBeNull();

    act(() => socket.receive({ type: 'service_metrics', channel: `empresa:${EMPRESA}`, id: 'sm-7', ephemeral: true, ts: null, data: service({ ts: '2026-11-30T10:01:50Z', waiting: 2 }) }));
    await advance(50_000);
    expect(screen.queryByTestId('service-stale')).toBeNull();
    await advance(20_000);
    expect(shown('service-stale')).toContain('o serviço de análise pode estar parado');
  });

  it('says plainly that no figures exist yet, then shows the first ones an event brings', async () => {
    const ui = renderConsole({ token: chefe, hash: '#/fila' });
    const socket = await ui.connect();
    await ui.answer('/api/v1/metrics/service', service({ ts: null, waiting: 0, longestWaitMs: 0, windows: [], atendentes: [] }));
    expect(shown('service-empty')).toContain('Ainda não há números do atendimento');
    expect(screen.queryByTestId('service-waiting')).toBeNull();

    act(() => socket.receive({ type: 'service_metrics', channel: `empresa:${EMPRESA}`, id: 'sm-2', ephemeral: true, ts: null, data: service({ waiting: 2 }) }));
    expect(screen.queryByTestId('service-empty')).toBeNull();
    expect(shown('service-waiting-value')).toBe('2');
  });

  it('keeps the newer figures when the REST answer is older than an event, and ignores hostile or foreign frames', async () => {
    const ui = renderConsole({ token: chefe, hash: '#/fila' });
    const socket = await ui.connect();
    const channel = `empresa:${EMPRESA}`;
    act(() => socket.receive({ type: 'service_metrics', channel, id: 'sm-3', ephemeral: true, ts: null, data: service({ ts: '2026-11-30T10:01:00Z', waiting: 9 }) }));
    await ui.answer('/api/v1/metrics/service', service({ ts: '2026-11-30T10:00:30Z', waiting: 5 }));
    expect(shown('service-waiting-value')).toBe('9');

    act(() => {
      // with a position, wrongly typed, another empresa's
      socket.receive({ type: 'service_metrics', channel, id: 'sm-4', position: 7, ts: null, data: service({ ts: '2026-11-30T10:02:00Z', waiting: 1 }) });
      socket.receive({ type: 'service_metrics', channel, id: 'sm-5', ephemeral: true, ts: null, data: { ...service({ ts: '2026-11-30T10:02:00Z' }), waiting: 'muitos' } });
      socket.receive({ type: 'service_metrics', channel, id: 'sm-6', ephemeral: true, ts: null, data: service({ empresaId: 'emp-outra', ts: '2026-11-30T10:02:00Z', waiting: 3 }) });
    });
    expect(shown('service-waiting-value')).toBe('9');
  });

  it('says why the figures could not be read', async () => {
    const ui = renderConsole({ token: chefe, hash: '#/fila' });
    await ui.connect();
    await ui.answer('/api/v1/metrics/service', { error: 'forbidden', reason: 'only supervisors and admins may read the service figures' }, {}, 403);
    expect(screen.getByTestId('service-monitoring').textContent).toContain('Não foi possível ler os números do atendimento');
  });
});
