/** `GET /api/v1/empresa/queue` through the SDK: the query it sends, and every answer it refuses to hand over. */
import { describe, expect, it } from 'vitest';
import {
  EMPRESA_QUEUE_PATH,
  MalformedAnswerError,
  decodeEmpresaQueue,
  fetchEmpresaQueue,
  type EmpresaQueue,
  type RestGetter,
} from '../src/queue.js';

function answer(): EmpresaQueue {
  return {
    empresaId: 'emp-1',
    ts: '2026-11-30T10:00:05.120Z',
    presenceVersion: 42,
    assignment: { mode: 'least_loaded', automatic: true, defaultCapacity: 4, version: 3 },
    waiting: {
      total: 12,
      limit: 50,
      items: [
        { conversaId: 'c-1', contactName: 'Maria', instance: 'loja-01', remoteJid: '5511@s.whatsapp.net', waitingSince: '2026-11-30T09:58:40Z' },
        { conversaId: 'c-2', contactName: null, instance: 'loja-01', remoteJid: '5512@s.whatsapp.net', waitingSince: '2026-11-30T09:59:00Z' },
      ],
    },
    atendentes: {
      truncated: false,
      limit: 500,
      items: [
        { userId: 'u-42', name: 'Ana', online: true, status: 'disponivel', open: 3, capacity: 8, available: true },
        { userId: 'u-7', name: null, online: false, status: null, open: 1, capacity: 4, available: false },
      ],
    },
  };
}

function recorder(body: unknown): RestGetter & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    get: async <T>(path: string, query?: unknown) => {
      calls.push([path, query]);
      return body as T;
    },
  };
}

describe('fetchEmpresaQueue', () => {
  it('asks the queue path with the limit given, or none', async () => {
    const rest = recorder(answer());
    expect(await fetchEmpresaQueue(rest)).toEqual(answer());
    expect(await fetchEmpresaQueue(rest, { limit: 200 })).toEqual(answer());
    expect(rest.calls).toEqual([
      [EMPRESA_QUEUE_PATH, { limit: undefined }],
      [EMPRESA_QUEUE_PATH, { limit: 200 }],
    ]);
    expect(EMPRESA_QUEUE_PATH).toBe('/api/v1/empresa/queue');
  });

  it('refuses a limit the gateway would refuse, without asking', async () => {
    const rest = recorder(answer());
    for (const limit of [0, -1, 201, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      await expect(fetchEmpresaQueue(rest, { limit }), String(limit)).rejects.toBeInstanceOf(RangeError);
    }
    expect(rest.calls).toEqual([]);
  });

  it('passes the REST client\'s refusal on', async () => {
    const refusal = new Error('only supervisors and admins may see the empresa\'s queue');
    const rest: RestGetter = { get: async () => Promise.reject(refusal) };
    await expect(fetchEmpresaQueue(rest)).rejects.toBe(refusal);
  });
});

describe('decodeEmpresaQueue', () => {
  it('hands over a whole answer, with fields it does not know', () => {
    const body = { ...answer(), teams: [] };
    expect(decodeEmpresaQueue(body)).toBe(body);
    expect(decodeEmpresaQueue({ ...answer(), waiting: { total: 0, limit: 1, items: [] }, atendentes: { items: [], truncated: true, limit: 500 } }).waiting.total).toBe(0);
  });

  it('names the first field at fault in any malformed answer', () => {
    type Edit = (a: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
    const cases: [Edit | null | string | never[], string][] = [
      [null, 'the answer'],
      [[], 'the answer'],
      ['queue', 'the answer'],
      [(a) => delete a.empresaId, 'empresaId'],
      [(a) => (a.ts = 'yesterday'), 'ts'],
      [(a) => (a.presenceVersion = -1), 'presenceVersion'],
      [(a) => (a.presenceVersion = '42'), 'presenceVersion'],
      [(a) => (a.assignment = null), 'assignment'],
      [(a) => (a.assignment.automatic = 'yes'), 'assignment.automatic'],
      [(a) => (a.assignment.defaultCapacity = 2.5), 'assignment.defaultCapacity'],
      [(a) => (a.waiting.total = 1e300), 'waiting.total'],
      [(a) => (a.waiting.items = {}), 'waiting.items'],
      [(a) => (a.waiting.items[1] = 'c-3'), 'waiting.items[1]'],
      [(a) => (a.waiting.items[0].conversaId = null), 'waiting.items[0].conversaId'],
      [(a) => (a.waiting.items[1].contactName = 7), 'waiting.items[1].contactName'],
      [(a) => (a.waiting.items[0].waitingSince = null), 'waiting.items[0].waitingSince'],
      [(a) => delete a.atendentes, 'atendentes'],
      [(a) => (a.atendentes.truncated = null), 'atendentes.truncated'],
      [(a) => (a.atendentes.items[0].open = -3), 'atendentes.items[0].open'],
      [(a) => (a.atendentes.items[1].capacity = '4'), 'atendentes.items[1].capacity'],
      [(a) => (a.atendentes.items[1].online = 0), 'atendentes.items[1].online'],
      [(a) => (a.atendentes.items[0].status = { s: 1 }), 'atendentes.items[0].status'],
      [(a) => (a.atendentes.items[0].userId = undefined), 'atendentes.items[0].userId'],
    ];
    for (const [edit, field] of cases) {
      let body: unknown = edit;
      if (typeof edit === 'function') {
        body = answer();
        (edit as Edit)(body as Record<string, unknown>);
      }
      let thrown: unknown = null;
      try {
        decodeEmpresaQueue(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, field).toBeInstanceOf(MalformedAnswerError);
      expect((thrown as Error).message, field).toContain(field);
    }
  });

  it('rejects a malformed answer from fetchEmpresaQueue', async () => {
    await expect(fetchEmpresaQueue(recorder({ ...answer(), waiting: null }))).rejects.toBeInstanceOf(MalformedAnswerError);
  });
});
