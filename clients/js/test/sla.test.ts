/** `sla_warning` and `sla_breached`: decoded when whole, reported and dropped when not, never thrown. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientWarning } from '../src/client.js';
import { decodeFrame, decodeText } from '../src/protocol/decode.js';
import type { RealtimeEvent } from '../src/protocol/events.js';
import { EMPRESA, USER, event, makeClient, settle } from './fakes.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const EMP = `empresa:${EMPRESA}`;
const ATENDENTE = `atendente:${USER}`;
const timer = {
  conversaId: '0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f',
  atendenteId: USER,
  kind: 'first_response',
  dueAt: '2026-11-30T10:05:00Z',
  startedAt: '2026-11-30T10:00:00Z',
};

describe('SLA events', () => {
  it('decodes both types, both kinds, on the empresa and the atendente channel', () => {
    for (const type of ['sla_warning', 'sla_breached']) {
      for (const kind of ['first_response', 'next_response']) {
        for (const channel of [EMP, ATENDENTE]) {
          const decoded = decodeFrame(event(type, channel, 3, { ...timer, kind }));
          expect(decoded.kind, `${type} ${kind} ${channel}`).toBe('event');
          if (decoded.kind !== 'event') continue;
          expect(decoded.frame.type).toBe(type);
          expect(decoded.frame.data).toEqual({ ...timer, kind });
        }
      }
    }
    // a field added later is carried, not refused
    expect(decodeFrame(event('sla_warning', EMP, 4, { ...timer, team: 't-1' })).kind).toBe('event');
  });

  it('reports every malformed one with the field at fault', () => {
    const without = (field: string) => Object.fromEntries(Object.entries(timer).filter(([k]) => k !== field));
    const cases: [object, string][] = [
      [without('conversaId'), 'conversaId'],
      [without('atendenteId'), 'atendenteId'],
      [without('kind'), 'kind'],
      [without('dueAt'), 'dueAt'],
      [without('startedAt'), 'startedAt'],
      [{ ...timer, atendenteId: null }, 'atendenteId'],
      [{ ...timer, conversaId: 7 }, 'conversaId'],
      [{ ...timer, kind: 'resolution' }, 'kind'],
      [{ ...timer, kind: 'FIRST_RESPONSE' }, 'kind'],
      [{ ...timer, kind: ['first_response'] }, 'kind'],
      [{ ...timer, dueAt: 'tomorrow' }, 'dueAt'],
      [{ ...timer, dueAt: 1764496800000 }, 'dueAt'],
      [{ ...timer, dueAt: '' }, 'dueAt'],
      // Date.parse alone would take these for 2001 and 2026-11-30 at midnight, local time
      [{ ...timer, dueAt: '1' }, 'dueAt'],
      [{ ...timer, dueAt: '2026-11-30' }, 'dueAt'],
      [{ ...timer, startedAt: '2026-13-45T99:00:00Z' }, 'startedAt'],
      [{ ...timer, startedAt: '\u0000' }, 'startedAt'],
    ];
    for (const [data, field] of cases) {
      const decoded = decodeFrame(event('sla_breached', EMP, 5, data));
      expect(decoded.kind, JSON.stringify(data)).toBe('malformed');
      if (decoded.kind === 'malformed') expect(decoded.reason).toContain(field);
    }
    // SLA events are durable: without a position, with data that is not an object, or ephemeral, they are refused
    expect(decodeFrame({ type: 'sla_warning', channel: EMP, id: 'x', data: timer, ts: null }).kind).toBe('malformed');
    expect(decodeFrame({ type: 'sla_warning', channel: EMP, id: 'x', data: [timer], position: 1, ts: null }).kind).toBe('malformed');
    expect(decodeFrame({ type: 'sla_warning', channel: EMP, id: 'x', data: timer, ephemeral: true, ts: null }).kind).toBe('malformed');
    expect(decodeText(`{"type":"sla_warning","channel":"${EMP}","id":"x","position":1,"data":`).kind).toBe('malformed');
    expect(decodeText(JSON.stringify(event('sla_warning', EMP, 6, { ...timer, conversaId: 'x'.repeat(100_000) }))).kind).toBe('event');
  });

  it('delivers them to subscribers and drops malformed ones with a warning, keeping the session', async () => {
    const made = makeClient();
    const warnings: ClientWarning[] = [];
    const events: RealtimeEvent[] = [];
    made.client.on('warning', (w) => warnings.push(w));
    made.client.subscribe(EMP, (e) => events.push(e));
    made.client.connect();
    await settle();
    const socket = made.sockets.last().accept();

    socket.receive(event('sla_warning', EMP, 10, timer));
    socket.receive(event('sla_breached', EMP, 11, { ...timer, kind: 'sideways' }));
    socket.receive(event('sla_breached', EMP, 12, { ...timer, kind: 'next_response' }));

    expect(events.map((e) => [e.type, e.position])).toEqual([
      ['sla_warning', 10],
      ['sla_breached', 12],
    ]);
    expect(warnings.filter((w) => w.kind === 'malformed_frame')).toHaveLength(1);
    expect(made.client.state.status).toBe('connected');
    made.client.close();
  });
});
