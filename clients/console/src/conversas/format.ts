/** Portuguese labels and short formats shared by the conversa screens. */
import type { Conversa, ConversaStatus, MensagemStatus, OnlineUser } from '@chat-central/client';

export const STATUS_LABELS: Record<ConversaStatus, string> = {
  aguardando: 'Aguardando',
  em_atendimento: 'Em atendimento',
  encerrada: 'Encerradas',
};

/** The tick shown after a reply and what it means. */
export const TICKS: Record<MensagemStatus, { mark: string; title: string }> = {
  PENDING: { mark: '🕓', title: 'Enviando' },
  SERVER_ACK: { mark: '✓', title: 'Enviada' },
  DELIVERY_ACK: { mark: '✓✓', title: 'Entregue' },
  READ: { mark: '✓✓', title: 'Lida' },
  PLAYED: { mark: '✓✓', title: 'Reproduzida' },
  ERROR: { mark: '⚠', title: 'Falhou' },
  UNCONFIRMED: { mark: '⏳', title: 'Não confirmada: aguardando o WhatsApp' },
};

export function contactOf(conversa: Conversa): string {
  return conversa.contactName ?? conversa.remoteJid.replace(/@.*$/, '');
}

/** An atendente's name when someone online has that id, else the id. */
export function atendenteName(userId: string | null, online: readonly OnlineUser[]): string {
  if (userId === null) return 'ninguém';
  return online.find((user) => user.userId === userId)?.name ?? userId;
}

export function timeOf(instant: string | null): string {
  if (!instant) return '';
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' });
}
