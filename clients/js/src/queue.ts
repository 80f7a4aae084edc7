/**
 * The supervisor's view of the empresa's queue: `GET /api/v1/empresa/queue` (docs/rest.md), the conversas waiting
 * for an atendente, longest waiting first, and each atendente's open conversas against their capacity, with their
 * presence. The answer is checked before it is handed over, as frames are (protocol/decode.ts): a screen of load
 * bars must not divide strings or undefined.
 */
import { isInstant } from './protocol/decode.js';
import type { Instant } from './protocol/events.js';

export const EMPRESA_QUEUE_PATH = '/api/v1/empresa/queue';

/** The most waiting conversas one answer lists (the gateway's `max-limit` by default). */
export const MAX_QUEUE_LIMIT = 200;

/** The empresa's automatic assignment, as its settings hold it. */
export interface QueueAssignment {
  /** `off`, `round_robin` or `least_loaded` (or a newer mode, which this client treats as off) */
  mode: string;
  /** whether conversas are handed out automatically */
  automatic: boolean;
  defaultCapacity: number;
  /** the settings' version; 0 when nobody changed them */
  version: number;
}

/** A conversa waiting for an atendente (`aguardando`, nobody holding it). */
export interface WaitingConversa {
  conversaId: string;
  contactName: string | null;
  instance: string;
  remoteJid: string;
  /** when it last changed status or atendente (joined the queue), else when it was created */
  waitingSince: Instant;
}

export interface QueueWaiting {
  /** every conversa waiting, also those beyond `limit` */
  total: number;
  /** the most `items` the answer lists */
  limit: number;
  /** the longest waiting first */
  items: WaitingConversa[];
}

/** One atendente online or holding an open conversa. */
export interface QueueAtendente {
  userId: string;
  /** as presence names them while online; null when offline or unnamed */
  name: string | null;
  online: boolean;
  /** `disponivel`, `ausente` or `ocupado`; null when offline */
  status: string | null;
  /** conversas they hold that are not `encerrada` */
  open: number;
  /** how many automatic assignment lets them hold; 0 keeps them out of it */
  capacity: number;
  /** online, `disponivel` and below capacity: automatic assignment may hand them the next conversa */
  available: boolean;
}

export interface QueueAtendentes {
  /** by userId */
  items: QueueAtendente[];
  /** more atendentes than `limit` are online or hold open conversas */
  truncated: boolean;
  limit: number;
}

/** The answer of `GET /api/v1/empresa/queue`. */
export interface EmpresaQueue {
  empresaId: string;
  /** when the gateway read it: waits count to it */
  ts: Instant;
  assignment: QueueAssignment;
  waiting: QueueWaiting;
  atendentes: QueueAtendentes;
  /** the presence version the statuses reflect: `presence_update` events with a greater one came after */
  presenceVersion: number;
}

/** An answer that does not have the shape the API documents; `reason` says where. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';

  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
  }
}

/** What `fetchEmpresaQueue` needs of a REST client: the console's `RestClient` (@chat-central/react) has it. */
export interface RestGetter {
  get<T>(path: string, query?: Record<string, string | number | null | undefined>): Promise<T>;
}

/**
 * Reads the caller's empresa's queue (supervisors and admins; others are refused with 403 by the gateway).
 *
 * @param limit waiting conversas listed, 1 to {@link MAX_QUEUE_LIMIT}; the gateway's default (50) when left out
 */
export async function fetchEmpresaQueue(rest: RestGetter, { limit }: { limit?: number } = {}): Promise<EmpresaQueue> {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_QUEUE_LIMIT)) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_QUEUE_LIMIT}, got ${String(limit)}`);
  }
  return decodeEmpresaQueue(await rest.get<unknown>(EMPRESA_QUEUE_PATH, { limit }));
}

type Json = Record<string, unknown>;
type Kind = 'string' | 'count' | 'boolean' | 'object' | 'array' | 'instant' | 'string?';

/** Checks an answer of `GET /api/v1/empresa/queue`; throws {@link MalformedAnswerError} naming the first bad field. */
export function decodeEmpresaQueue(value: unknown): EmpresaQueue {
  const fail = (reason: string): never => {
    throw new MalformedAnswerError(EMPRESA_QUEUE_PATH, reason);
  };
  const check = (where: string, f: unknown, fields: Record<string, Kind>): Json => {
    if (!isObject(f)) return fail(`${where || 'the answer'} is not an object`);
    for (const [name, kind] of Object.entries(fields)) {
      if (!hasKind(f[name], kind)) fail(`${where}${where ? '.' : ''}${name} is not ${KIND_NAMES[kind]}`);
    }
    return f;
  };
  const top = check('', value, {
    empresaId: 'string', ts: 'instant', assignment: 'object', waiting: 'object', atendentes: 'object', presenceVersion: 'count',
  });
  check('assignment', top.assignment, { mode: 'string', automatic: 'boolean', defaultCapacity: 'count', version: 'count' });
  const waiting = check('waiting', top.waiting, { total: 'count', limit: 'count', items: 'array' });
  (waiting.items as unknown[]).forEach((item, i) =>
    check(`waiting.items[${i}]`, item, {
      conversaId: 'string', contactName: 'string?', instance: 'string', remoteJid: 'string', waitingSince: 'instant',
    }),
  );
  const atendentes = check('atendentes', top.atendentes, { items: 'array', truncated: 'boolean', limit: 'count' });
  (atendentes.items as unknown[]).forEach((item, i) =>
    check(`atendentes.items[${i}]`, item, {
      userId: 'string', name: 'string?', online: 'boolean', status: 'string?', open: 'count', capacity: 'count', available: 'boolean',
    }),
  );
  return value as EmpresaQueue;
}

const KIND_NAMES: Record<Kind, string> = {
  string: 'a string',
  count: 'a whole number of at least 0',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  instant: 'an instant',
  'string?': 'a string or null',
};

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === null || typeof value === 'string';
    case 'count':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'instant':
      return isInstant(value);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
