/**
 * What the supervisor's queue panel decides without React: which realtime events make the queue worth reading
 * again, the SLAs at risk as `sla_warning` and `sla_breached` events report them and the conversa events that end
 * them, and how full an atendente's load bar is.
 */
import type { Conversa, RealtimeEvent, SlaKind } from '@chat-central/client';

/** One conversa whose response is due soon (`warning`) or overdue (`breached`). */
export interface SlaRisk {
  conversaId: string;
  atendenteId: string;
  kind: SlaKind;
  dueAt: string;
  startedAt: string;
  breached: boolean;
}

/** By conversaId: a conversa owes one response at a time (the first, or the next one). */
export type SlaRisks = ReadonlyMap<string, SlaRisk>;

/**
 * The most risks held: past it the ones due last are dropped, so a flood of events (or a processor gone wrong)
 * cannot grow the page without end; those due first are the ones a supervisor acts on.
 */
export const MAX_SLA_RISKS = 200;

/** The events after which the queue may have changed: a conversa arrived, moved, was assigned or closed; presence. */
export function changesQueue(event: RealtimeEvent): boolean {
  switch (event.type) {
    case 'message_notification':
    case 'conversation_updated':
    case 'conversation_transferred':
    case 'presence_update':
      return true;
    default:
      return false;
  }
}

/** The risks after `event`: the same map when it changes nothing. */
export function applySlaEvent(risks: SlaRisks, event: RealtimeEvent): SlaRisks {
  switch (event.type) {
    case 'sla_warning':
    case 'sla_breached': {
      const { conversaId, atendenteId, kind, dueAt, startedAt } = event.data;
      const next: SlaRisk = { conversaId, atendenteId, kind, dueAt, startedAt, breached: event.type === 'sla_breached' };
      const held = risks.get(conversaId);
      if (held && !supersedes(next, held)) return risks;
      return bounded(new Map(risks).set(conversaId, next));
    }
    case 'message_notification':
      // an atendente's reply answers the response owed; a customer's mensagem owes one, which the processor announces
      return event.data.mensagem.fromMe ? without(risks, event.data.conversa.conversaId) : ended(risks, event.data.conversa);
    case 'conversation_updated':
    case 'conversation_transferred':
      return ended(risks, event.data.conversa);
    default:
      return risks;
  }
}

/** Due first; at the same due time, overdue before due soon, then by conversa. */
export function sortedRisks(risks: SlaRisks): SlaRisk[] {
  return [...risks.values()].sort(
    (a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || Number(b.breached) - Number(a.breached) || a.conversaId.localeCompare(b.conversaId),
  );
}

/**
 * A later clock replaces an earlier one (a reopen or the customer writing again starts a new one); on the same
 * clock the breach replaces the warning, never the other way round, whatever order a replay brings them in.
 */
function supersedes(next: SlaRisk, held: SlaRisk): boolean {
  const started = Date.parse(next.startedAt) - Date.parse(held.startedAt);
  if (started !== 0) return started > 0;
  if (next.kind !== held.kind) return true;
  return next.breached && !held.breached;
}

/** Closed, back in the queue or now someone else's: the response the risk was about is no longer that atendente's. */
function ended(risks: SlaRisks, conversa: Conversa): SlaRisks {
  const held = risks.get(conversa.conversaId);
  if (!held) return risks;
  return conversa.status === 'encerrada' || conversa.atendenteId !== held.atendenteId ? without(risks, conversa.conversaId) : risks;
}

function without(risks: SlaRisks, conversaId: string): SlaRisks {
  if (!risks.has(conversaId)) return risks;
  const next = new Map(risks);
  next.delete(conversaId);
  return next;
}

function bounded(risks: Map<string, SlaRisk>): SlaRisks {
  if (risks.size <= MAX_SLA_RISKS) return risks;
  return new Map(sortedRisks(risks).slice(0, MAX_SLA_RISKS).map((risk) => [risk.conversaId, risk]));
}

/** How full a load bar is, 0 to 1; an atendente with capacity 0 holding conversas is full. */
export function loadFill(open: number, capacity: number): number {
  if (capacity <= 0) return open > 0 ? 1 : 0;
  return Math.min(open / capacity, 1);
}
