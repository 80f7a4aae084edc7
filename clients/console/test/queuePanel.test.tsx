/** The supervisor's queue panel: what it shows, when it reads the queue again, and the SLAs at risk. */
import type { EmpresaQueue, RealtimeEvent } from '@chat-central/client';
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SLA_RISKS, applySlaEvent, changesQueue, loadFill, sortedRisks, type SlaRisks } from '../src/fila/queueState';
import { EMPRESA, advance, conversa, event, jwt, mensagem, renderConsole } from './support';

const QUEUE = '/api/v1/empresa/queue';
const EMP = `empresa:${EMPRESA}`;
const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';

function queue(fields: Partial<EmpresaQueue> = {}): EmpresaQueue {
  return {
    empresaId: EMPRESA,
    ts: '2026-11-30T10:00:40Z',
    presenceVersion: 4,
    assignment: { mode: 'least_loaded', automatic: true, defaultCapacity: 4, version: 2 },
    waiting: {
      total: 3,
      limit: 50,
      items: [
        { conversaId: C1, contactName: 'Maria', instance: 'loja-01', remoteJid: '5511999990001@s.whatsapp.net', waitingSince: '2026-11-30T09:58:35Z' },
        { conversaId: C2, contactName: null, instance: 'loja-01', remoteJid: '5511999990002@s.whatsapp.net', waitingSince: '2026-11-30T10:00:10Z' },
      ],
    },
    atendentes: {
      truncated: false,
      limit: 500,
      items: [
        { userId: 'ana', name: 'Ana', online: true, status: 'disponivel', open: 2, capacity: 4, available: true },
        { userId: 'bia', name: 'Bia', online: true, status: 'ocupado', open: 5, capacity: 4, available: false },
        { userId: 'carla', name: null, online: false, status: null, open: 1, capacity: 0, available: false },
      ],
    },
    ...fields,
  };
}

const sla = (type: 'sla_warning' | 'sla_breached', position: number, fields: Record<string, unknown> = {}) =>
  event(type, EMP, position, {
    conversaId: C1, atendenteId: 'ana', kind: 'first_response', dueAt: '2026-11-30T10:05:00Z', startedAt: '2026-11-30T10:00:00Z', ...fields,
  }) as unknown as RealtimeEvent;

describe('queue panel logic', () => {
  it('reads the queue again after the events that change it, and only those', () => {
    const changes = ['message_notification', 'conversation_updated', 'conversation_transferred', 'presence_update'];
    for (const type of changes) expect(changesQueue({ type } as RealtimeEvent), type).toBe(true);
    for (const type of ['message_status', 'typing_start', 'service_metrics', 'sla_warning', 'instance_status']) {
      expect(changesQueue({ type } as RealtimeEvent), type).toBe(false);
    }
  });

  it('holds one risk per conversa: a breach replaces the warning of its clock, never the reverse, and a later clock wins', () => {
    let risks: SlaRisks = new Map();
    risks = applySlaEvent(risks, sla('sla_warning', 1));
    expect([...risks.values()].map((r) => r.breached)).toEqual([false]);
    risks = applySlaEvent(risks, sla('sla_breached', 2));
    expect([...risks.values()].map((r) => r.breached)).toEqual([true]);
    const held = risks;
    expect(applySlaEvent(risks, sla('sla_warning', 3))).toBe(held);
    // the customer wrote again after the reply: a new clock, for the next response
    risks = applySlaEvent(risks, sla('sla_warning', 4, { kind: 'next_response', startedAt: '2026-11-30T10:10:00Z', dueAt: '2026-11-30T10:15:00Z' }));
    expect([...risks.values()]).toEqual([expect.objectContaining({ kind: 'next_response', breached: false })]);
    // an older clock arriving late changes nothing
    expect(applySlaEvent(risks, sla('sla_breached', 5))).toBe(risks);
  });

  it('ends a risk when the atendente replies, the conversa closes or changes hands, not when the customer writes', () => {
    const start = applySlaEvent(new Map(), sla('sla_warning', 1));
    const own = conversa({ conversaId: C1, status: 'em_atendimento', atendenteId: 'ana' });
    const customer = event('message_notification', EMP, 2, { conversa: own, mensagem: mensagem(C1, { fromMe: false }) }) as unknown as RealtimeEvent;
    expect(applySlaEvent(start, customer)).toBe(start);
    const reply = event('message_notification', EMP, 3, { conversa: own, mensagem: mensagem(C1, { fromMe: true }) }) as unknown as RealtimeEvent;
    expect(applySlaEvent(start, reply).size).toBe(0);
    const update = (fields: object) => event('conversation_updated', EMP, 4, { conversa: { ...own, ...fields } }) as unknown as RealtimeEvent;
    expect(applySlaEvent(start, update({ unreadCount: 3 }))).toBe(start);
    expect(applySlaEvent(start, update({ status: 'encerrada' })).size).toBe(0);
    expect(applySlaEvent(start, update({ status: 'aguardando', atendenteId: null })).size).toBe(0);
    const moved = event('conversation_transferred', EMP, 5, { conversa: { ...own, atendenteId: 'bia' }, from: 'ana', to: 'bia', by: 'chefe' });
    expect(applySlaEvent(start, moved as unknown as RealtimeEvent).size).toBe(0);
    // another conversa's events leave it alone
    const other = event('conversation_updated', EMP, 6, { conversa: { ...own, conversaId: C2, status: 'encerrada' } }) as unknown as RealtimeEvent;
    expect(applySlaEvent(start, other)).toBe(start);
  });

  it('keeps at most the risks due first, sorted by due time with breaches first', () => {
    let risks: SlaRisks = new Map();
    for (let i = 0; i < MAX_SLA_RISKS + 50; i++) {
      const due = new Date(Date.UTC(2026, 10, 30, 12, 0, 0) - i * 1000).toISOString();
      risks = applySlaEvent(risks, sla('sla_warning', i, { conversaId: `c-${String(i).padStart(4, '0')}`, dueAt: due }));
    }
    expect(risks.size).toBe(MAX_SLA_RISKS);
    const sorted = sortedRisks(risks);
    expect(sorted[0]!.conversaId).toBe(`c-${String(MAX_SLA_RISKS + 49).padStart(4, '0')}`);
    expect(sorted.at(-1)!.conversaId).toBe('c-0050');
    const tie = applySlaEvent(applySlaEvent(new Map(), sla('sla_warning', 1, { conversaId: 'a' })), sla('sla_breached', 2, { conversaId: 'b' }));
    expect(sortedRisks(tie).map((r) => r.conversaId)).toEqual(['b', 'a']);
  });

  it('fills a load bar up to full, also for a capacity of 0', () => {
    expect(loadFill(2, 4)).toBe(0.5);
    expect(loadFill(5, 4)).toBe(1);
    expect(loadFill(0, 0)).toBe(0);
    expect(loadFill(1, 0)).toBe(1);
  });
});

describe('QueuePanel', () => {
  let supervisor: string;
  const requests = (ui: ReturnType<typeof renderConsole>) => ui.http.requests.filter((r) => r.url.pathname === QUEUE);
  const text = (id: string) => screen.getByTestId(id).textContent;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T10:00:40Z'));
    // minted on the test's clock: its expiry is an hour after it
    supervisor = jwt({ name: 'Sônia', roles: ['supervisor'] });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the waiting longest first and each atendente against capacity with presence', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    await ui.connect();
    const request = await ui.answer(QUEUE, queue());
    expect(request.headers.Authorization).toBe(`Bearer ${supervisor}`);
    expect(text('queue-mode')).toContain('menos carregado primeiro');
    expect(text('queue-waiting-total')).toBe('3');
    expect(text('queue-waiting-more')).toContain('as 2 que esperam há mais tempo');
    expect(screen.getAllByTestId('queue-waiting-item').map((li) => li.textContent)).toEqual(['Maria há 2 min 5 s', '5511999990002 há 30 s']);
    const rows = screen.getAllByTestId('queue-atendente');
    expect(rows.map((row) => row.dataset.user)).toEqual(['ana', 'bia', 'carla']);
    expect(screen.getAllByTestId('queue-atendente-presence').map((p) => p.textContent)).toEqual(['Disponível', 'Ocupado', 'Offline']);
    expect(screen.getAllByTestId('queue-atendente-load').map((p) => p.textContent)).toEqual(['2/4', '5/4', '1/0']);
    expect(screen.getAllByTestId('queue-atendente-fill').map((f) => f.style.width)).toEqual(['50%', '100%', '100%']);
    expect(rows.map((row) => row.className)).toEqual(['online available', 'online over-capacity', 'offline over-capacity']);
    expect(screen.getByTestId('sla-none')).toBeTruthy();

    // waits go on counting between reads
    await advance(60_000);
    expect(screen.getAllByTestId('queue-waiting-item')[0]!.textContent).toBe('Maria há 3 min 5 s');
  });

  it('reads the queue again once after a burst of conversa and presence events, and every 15 s', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    const socket = await ui.connect();
    await ui.answer(QUEUE, queue());
    expect(requests(ui)).toHaveLength(1);

    act(() => {
      socket.receive(event('conversation_updated', EMP, 10, { conversa: conversa({ conversaId: C1, status: 'em_atendimento', atendenteId: 'ana' }) }));
      socket.receive(event('conversation_transferred', EMP, 11, { conversa: conversa({ conversaId: C2 }), from: null, to: 'ana', by: null }));
      socket.receive(event('message_status', EMP, 12, { conversaId: C1, mensagemId: 'm', status: 'READ' }));
    });
    await advance(499);
    expect(requests(ui)).toHaveLength(1);
    await advance(1);
    expect(requests(ui)).toHaveLength(2);
    await ui.answer(QUEUE, queue({ waiting: { total: 1, limit: 50, items: queue().waiting.items.slice(1) } }));
    expect(text('queue-waiting-total')).toBe('1');
    expect(screen.getAllByTestId('queue-waiting-item').map((li) => li.dataset.conversa)).toEqual([C2]);
    expect(screen.queryByTestId('queue-waiting-more')).toBeNull();

    act(() => socket.receive(event('presence_update', `presence:${EMPRESA}`, 13, { userId: 'bia', online: false, version: 5 })));
    await advance(500);
    expect(requests(ui)).toHaveLength(3);
    // an event while a read is under way asks for one more read after it, not a second one at once
    act(() => socket.receive(event('conversation_updated', EMP, 14, { conversa: conversa({ conversaId: C1 }) })));
    await advance(500);
    expect(requests(ui)).toHaveLength(3);
    await ui.answer(QUEUE, queue());
    expect(requests(ui)).toHaveLength(4);
    await ui.answer(QUEUE, queue());

    const before = requests(ui).length;
    await advance(15_000);
    expect(requests(ui).length).toBe(before + 1);
  });

  it('keeps showing the last queue and says why a read failed', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    await ui.connect();
    await ui.answer(QUEUE, queue());
    await advance(15_000);
    await ui.answer(QUEUE, { error: 'unavailable', reason: 'the database did not answer, try again' }, {}, 503);
    expect(screen.getByTestId('queue-panel').textContent).toContain('Não foi possível ler a fila: the database did not answer');
    expect(text('queue-waiting-total')).toBe('3');
    // an answer of the wrong shape is a failure too, never a broken screen
    await advance(15_000);
    await ui.answer(QUEUE, { ...queue(), atendentes: { items: [{ userId: 'ana', open: 'dois' }], truncated: false, limit: 500 } });
    expect(screen.getByTestId('queue-panel').textContent).toContain('atendentes.items[0]');
    expect(text('queue-waiting-total')).toBe('3');
    await advance(15_000);
    await ui.answer(QUEUE, queue({ waiting: { total: 0, limit: 50, items: [] } }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(text('queue-waiting-total')).toBe('0');
  });

  it('lists the SLAs at risk from the events, due first, until the reply or close that ends them', async () => {
    const ui = renderConsole({ token: supervisor, hash: '#/fila' });
    const socket = await ui.connect();
    await ui.answer(QUEUE, queue());

    act(() => {
      socket.receive(sla('sla_warning', 20));
      socket.receive(sla('sla_breached', 21, { conversaId: C2, atendenteId: 'bia', kind: 'next_response', dueAt: '2026-11-30T10:00:00Z', startedAt: '2026-11-30T09:55:00Z' }));
      // malformed: dropped by the SDK, shown nowhere
      socket.receive(sla('sla_breached', 22, { conversaId: 'c-x', kind: 'whenever' }));
    });
    const risks = () => screen.getAllByTestId('sla-risk').map((li) => [li.dataset.conversa, li.className, li.textContent]);
    expect(risks()).toEqual([
      [C2, 'sla-breached', `Vencido há 40 s próxima resposta de Bia na conversa ${C2.slice(0, 8)}`],
      [C1, 'sla-warning', `Vence em 4 min 20 s primeira resposta de Ana na conversa ${C1.slice(0, 8)}`],
    ]);

    act(() =>
      socket.receive(event('message_notification', EMP, 23, {
        conversa: conversa({ conversaId: C2, status: 'em_atendimento', atendenteId: 'bia' }),
        mensagem: mensagem(C2, { fromMe: true }),
      })),
    );
    expect(risks().map(([id]) => id)).toEqual([C1]);
    act(() => socket.receive(event('conversation_updated', EMP, 24, { conversa: conversa({ conversaId: C1, status: 'encerrada', atendenteId: 'ana' }) })));
    expect(screen.queryAllByTestId('sla-risk')).toHaveLength(0);
    expect(screen.getByTestId('sla-none')).toBeTruthy();
  });
});
