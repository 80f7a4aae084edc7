/** The supervisor's QueueMonitoring page with given metrics. */
import type { QueueMetricsReport } from '@chat-central/react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advance, jwt, renderConsole } from './support';

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
