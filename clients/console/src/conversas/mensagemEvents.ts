/**
 * What each mensagem event changes in a mensagem held by the console: the pure part of `useMensagens`, kept apart
 * so each event's effect is tested without a screen.
 */
import { INSTANCE_UNAVAILABLE, type Mensagem, type MensagemStatus, type RealtimeEvent } from '@chat-central/client';

/** The events that change a mensagem already shown. */
export type MensagemChange = Extract<
  RealtimeEvent,
  { type: 'message_status' | 'message_edited' | 'message_deleted' | 'message_reaction' }
>;

const CHANGES: ReadonlySet<string> = new Set(['message_status', 'message_edited', 'message_deleted', 'message_reaction']);

export function isMensagemChange(event: RealtimeEvent): event is MensagemChange {
  return CHANGES.has(event.type);
}

/** `mensagem` as `event` leaves it. */
export function applyMensagemChange(mensagem: Mensagem, event: MensagemChange): Mensagem {
  switch (event.type) {
    case 'message_status': {
      const { status, keyId, reason, error, retryAt } = event.data;
      // the reasons belong to ERROR and UNCONFIRMED: a later delivery receipt clears them
      const { statusReason: _r, statusDetail: _d, retryAt: _t, ...rest } = mensagem;
      return explained(status)
        ? { ...rest, status, keyId, ...defined({ statusReason: reason, statusDetail: error, retryAt }) }
        : { ...rest, status, keyId };
    }
    case 'message_edited': {
      const { text, originalText, editedAt } = event.data;
      return { ...mensagem, text, originalText: originalText ?? mensagem.originalText ?? mensagem.text ?? undefined, editedAt };
    }
    case 'message_deleted':
      return { ...mensagem, deletedAt: event.data.deletedAt };
    case 'message_reaction':
      return { ...mensagem, reactions: event.data.reactions };
  }
}

function explained(status: MensagemStatus): boolean {
  return status === 'ERROR' || status === 'UNCONFIRMED';
}

/** Only the fields that have a value: an absent reason stays absent rather than `undefined`. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)) as Partial<T>;
}

/** On WhatsApp: its server has it at least. A reply not there yet cannot be deleted or reacted to. */
export function onWhatsApp(mensagem: Mensagem): boolean {
  return ['SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'].includes(mensagem.status);
}

/**
 * When a failed reply may be resent: null when it may not at all (not failed, or UNCONFIRMED: it may have reached
 * the customer), 0 when it may now, else the epoch ms its number's circuit lets a send through again.
 */
export function resendAllowedFrom(mensagem: Mensagem): number | null {
  if (!mensagem.fromMe || mensagem.status !== 'ERROR' || mensagem.deletedAt) return null;
  if (mensagem.statusReason !== INSTANCE_UNAVAILABLE || !mensagem.retryAt) return 0;
  const at = Date.parse(mensagem.retryAt);
  return Number.isNaN(at) ? 0 : at;
}
