/**
 * The mensagens of the last minutes, from the `empresa:` channel the console follows from sign-in. A conversa opened
 * reads its mensagens from `GET /api/v1/conversas/{id}/mensagens`, which PostgreSQL answers, and PostgreSQL lags the
 * log by a moment; a mensagem written in that moment came on the channel before the conversa's own channel was
 * followed. This keeps such mensagens so the conversa shows them too.
 */
import type { Mensagem, RealtimeEvent } from '@chat-central/client';
import { useChannel } from '@chat-central/react';
import { useState } from 'react';

/** Far longer than PostgreSQL lags the log. */
const KEEP_MS = 5 * 60_000;
const MAX_PER_CONVERSA = 100;
const MAX_CONVERSAS = 500;

export class RecentMensagens {
  private readonly byConversa = new Map<string, { at: number; mensagem: Mensagem }[]>();

  constructor(private readonly now: () => number = Date.now) {}

  record(event: RealtimeEvent): void {
    if (event.type !== 'message_notification') return;
    const mensagem = event.data.mensagem;
    const at = this.now();
    const kept = (this.byConversa.get(mensagem.conversaId) ?? []).filter(
      (held) => held.mensagem.mensagemId !== mensagem.mensagemId && at - held.at < KEEP_MS,
    );
    kept.push({ at, mensagem });
    // the conversa heard from last goes last, so the one heard from least recently is dropped first
    this.byConversa.delete(mensagem.conversaId);
    this.byConversa.set(mensagem.conversaId, kept.slice(-MAX_PER_CONVERSA));
    if (this.byConversa.size > MAX_CONVERSAS) {
      this.byConversa.delete(this.byConversa.keys().next().value as string);
    }
  }

  /** The conversa's mensagens of the last minutes, in the order they came. */
  of(conversaId: string): Mensagem[] {
    const at = this.now();
    return (this.byConversa.get(conversaId) ?? []).filter((held) => at - held.at < KEEP_MS).map((held) => held.mensagem);
  }
}

/** One store per signed-in session, fed by the empresa's channel. */
export function useRecentMensagens(empresaId: string): RecentMensagens {
  const [recent] = useState(() => new RecentMensagens());
  useChannel(`empresa:${empresaId}`, (event) => recent.record(event));
  return recent;
}
