/**
 * Checks what the server sent before the client acts on it. The gateway is trusted, but a proxy, a newer server
 * or a bug can still hand over anything; a frame that does not have the shape its type promises is reported and
 * dropped, never thrown out of the client. Event payloads are checked for the fields the SDK itself reads
 * (presence versions, typing, command ids, every service figure, SLA timers); the rest of `data` is typed, not checked.
 */
import { EPHEMERAL_EVENT_TYPES, EVENT_TYPES, SLA_KINDS, type EventType, type RealtimeEvent } from './events.js';
import { CONTROL_FRAME_TYPES, type ControlFrame } from './frames.js';

export type Decoded =
  | { kind: 'control'; frame: ControlFrame }
  | { kind: 'event'; frame: RealtimeEvent }
  /** a well-formed event of a type this SDK does not know (a newer server): reported, not delivered */
  | { kind: 'unknown'; type: string; value: Record<string, unknown> }
  | { kind: 'malformed'; reason: string; value: unknown };

type Json = Record<string, unknown>;

const eventTypes: ReadonlySet<string> = new Set(EVENT_TYPES);
const controlTypes: ReadonlySet<string> = new Set(CONTROL_FRAME_TYPES);
const ephemeralTypes: ReadonlySet<string> = new Set(EPHEMERAL_EVENT_TYPES);

/** Parses one frame of text (WebSocket message, SSE `data:`); bad JSON is `malformed`. */
export function decodeText(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON', value: text };
  }
  return decodeFrame(value);
}

/** Checks one parsed frame (also the elements of a long-poll answer). */
export function decodeFrame(value: unknown): Decoded {
  if (!isObject(value)) return malformed('not a JSON object', value);
  const type = value.type;
  if (typeof type !== 'string') return malformed('no string "type"', value);
  if (controlTypes.has(type)) {
    const problem = controlProblem(type as ControlFrame['type'], value);
    return problem ? malformed(`${type}: ${problem}`, value) : { kind: 'control', frame: value as ControlFrame };
  }
  const envelope = envelopeProblem(value);
  if (envelope) return malformed(`${type}: ${envelope}`, value);
  if (!eventTypes.has(type)) return { kind: 'unknown', type, value };
  const problem = dataProblem(type as EventType, value.data as Json);
  return problem ? malformed(`${type}: ${problem}`, value) : { kind: 'event', frame: value as unknown as RealtimeEvent };
}

function controlProblem(type: ControlFrame['type'], f: Json): string | null {
  switch (type) {
    case 'connected':
      return need(f, { sessionId: 'string', userId: 'string', empresaId: 'string', expiresAt: 'string' });
    case 'presence_snapshot': {
      const problem = need(f, { channel: 'string', data: 'object' });
      if (problem) return problem;
      const data = f.data as Json;
      if (!Array.isArray(data.online)) return 'data.online is not an array';
      if (!isInteger(data.version)) return 'data.version is not an integer';
      const bad = data.online.find((u) => !isObject(u) || typeof u.userId !== 'string');
      return bad === undefined ? null : 'an online user without a string userId';
    }
    case 'subscribed':
      return need(f, { channel: 'string', position: 'integer' }) ?? optional(f, 'recovered', 'boolean');
    case 'unsubscribed':
      return need(f, { channel: 'string' });
    case 'pong':
      return null;
    case 'refreshed':
      return need(f, { expiresAt: 'string' });
    case 'command_accepted':
      return need(f, { commandId: 'string' });
    case 'error':
      return need(f, { code: 'string' }) ?? optional(f, 'channel', 'string') ?? optional(f, 'commandId', 'string');
    case 'closing':
      return need(f, { code: 'integer' });
  }
}

function envelopeProblem(f: Json): string | null {
  // typing and service figures arrive ephemeral: no position, so they never move the position a resume starts from
  const ephemeral = f.ephemeral === true;
  if (f.ephemeral !== undefined && !ephemeral) return '"ephemeral" is not true';
  if (ephemeral && !ephemeralTypes.has(f.type as string)) return 'only typing and service_metrics are ephemeral';
  if (ephemeral && f.position !== undefined) return 'an ephemeral event with a position';
  // figures are never durable: one with a position would move the position held past events never delivered
  if (!ephemeral && f.type === 'service_metrics') return 'service_metrics is always ephemeral';
  const problem = need(f, ephemeral ? { channel: 'string', id: 'string', data: 'object' }
    : { channel: 'string', id: 'string', position: 'integer', data: 'object' });
  if (problem) return problem;
  if (!ephemeral && (f.position as number) < 0) return 'negative position';
  return f.ts === null || f.ts === undefined || typeof f.ts === 'string' ? null : '"ts" is not a string';
}

function dataProblem(type: EventType, data: Json): string | null {
  const inData = (problem: string | null) => (problem ? `data.${problem}` : null);
  switch (type) {
    case 'message_notification':
      return inData(need(data, { conversa: 'object', mensagem: 'object' }));
    case 'message_status':
      return inData(need(data, { conversaId: 'string', mensagemId: 'string', status: 'string' }));
    case 'message_edited':
      return inData(need(data, { conversaId: 'string', mensagemId: 'string', text: 'string' }));
    case 'message_deleted':
      return inData(need(data, { conversaId: 'string', mensagemId: 'string' }));
    case 'message_reaction': {
      const problem = need(data, { conversaId: 'string', mensagemId: 'string' });
      if (problem) return inData(problem);
      return Array.isArray(data.reactions) ? null : 'data.reactions is not an array';
    }
    case 'conversation_updated':
      return inData(need(data, { conversa: 'object' }));
    case 'conversation_transferred':
      return inData(need(data, { conversa: 'object' }));
    case 'presence_update':
      return inData(need(data, { userId: 'string', online: 'boolean', version: 'integer' }));
    case 'typing_start':
    case 'typing_stop':
      return inData(need(data, { conversaId: 'string', who: 'string' }));
    case 'instance_status':
      return inData(need(data, { instance: 'string' }));
    case 'command_rejected':
      return inData(need(data, { commandId: 'string', reason: 'string' }));
    case 'service_metrics':
      return inData(serviceMetricsProblem(data));
    case 'sla_warning':
    case 'sla_breached':
      return inData(slaProblem(data));
  }
}

const slaKinds: ReadonlySet<string> = new Set(SLA_KINDS);

/** Every field: a list of SLAs at risk sorts by `dueAt`, counts down to it and names the atendente. */
function slaProblem(data: Json): string | null {
  const problem = need(data, { conversaId: 'string', atendenteId: 'string', kind: 'string', dueAt: 'string', startedAt: 'string' });
  if (problem) return problem;
  if (!slaKinds.has(data.kind as string)) return `"kind" is not one of ${SLA_KINDS.join(', ')}`;
  if (!isInstant(data.dueAt)) return '"dueAt" is not an instant';
  return isInstant(data.startedAt) ? null : '"startedAt" is not an instant';
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant as the services write them (`2026-11-30T10:05:00.123Z`), of a real date and time. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

const FIGURES: Record<string, Kind> = {
  assigned: 'integer', firstAssignmentMsSum: 'integer', firstAssignmentMsMax: 'integer', firstResponses: 'integer',
  firstResponseMsSum: 'integer', firstResponseMsMax: 'integer', closed: 'integer', handlingMsSum: 'integer',
  handlingMsMax: 'integer', mensagensIn: 'integer', mensagensOut: 'integer', slaBreaches: 'integer',
};

/** Every figure the console shows: a screen of averages must not divide strings or undefined. */
function serviceMetricsProblem(data: Json): string | null {
  const top = need(data, { empresaId: 'string', waiting: 'integer', longestWaitMs: 'integer' });
  if (top) return top;
  if (data.ts !== null && typeof data.ts !== 'string') return '"ts" is not a string';
  if (!Array.isArray(data.windows)) return '"windows" is not an array';
  if (!Array.isArray(data.atendentes)) return '"atendentes" is not an array';
  for (const [i, window] of data.windows.entries()) {
    const where = `windows[${i}]`;
    if (!isObject(window)) return `${where} is not an object`;
    const bad = need(window, { size: 'string', start: 'string', end: 'string', empresa: 'object' });
    if (bad) return `${where}.${bad}`;
    const figures = need(window.empresa as Json, FIGURES);
    if (figures) return `${where}.empresa.${figures}`;
    if (!Array.isArray(window.byAtendente)) return `${where}."byAtendente" is not an array`;
    for (const [j, atendente] of window.byAtendente.entries()) {
      if (!isObject(atendente)) return `${where}.byAtendente[${j}] is not an object`;
      const problem = need(atendente, { atendenteId: 'string', figures: 'object' }) ?? need(atendente.figures as Json, FIGURES);
      if (problem) return `${where}.byAtendente[${j}].${problem}`;
    }
  }
  for (const [i, load] of data.atendentes.entries()) {
    if (!isObject(load)) return `atendentes[${i}] is not an object`;
    const bad = need(load, { atendenteId: 'string', open: 'integer', awaitingReply: 'integer', longestAwaitingMs: 'integer' });
    if (bad) return `atendentes[${i}].${bad}`;
  }
  return null;
}

type Kind = 'string' | 'integer' | 'boolean' | 'object';

function need(f: Json, fields: Record<string, Kind>): string | null {
  for (const [name, kind] of Object.entries(fields)) {
    if (!hasKind(f[name], kind)) return `"${name}" is not a${kind === 'integer' ? 'n' : ''} ${kind}`;
  }
  return null;
}

function optional(f: Json, name: string, kind: Kind): string | null {
  return f[name] === undefined ? null : need(f, { [name]: kind });
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
  }
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(reason: string, value: unknown): Decoded {
  return { kind: 'malformed', reason, value };
}
