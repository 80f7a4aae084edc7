/**
 * One conversa's mensagens: the newest page from `GET /api/v1/conversas/{id}/mensagens` (older ones on demand),
 * then live from the `conversa:` channel: new mensagens (`message_notification`), delivery status (`message_status`),
 * WhatsApp edits, deletions for everyone and reactions (`message_edited`, `message_deleted`, `message_reaction`).
 * Mensagens are kept by `mensagemId`, so a replayed event or a page overlapping the live ones shows each once. After
 * a `resync` the newest page is read again.
 */
import type { Mensagem } from '@chat-central/client';
import { useChannel, useChatCentral } from '@chat-central/react';
import { useCallback, useEffect, useState } from 'react';
import { applyMensagemChange, isMensagemChange } from './mensagemEvents';
import type { RecentMensagens } from './recentMensagens';

interface MensagemPage {
  items: Mensagem[];
  hasMore: boolean;
  before: string | null;
  after: string | null;
}

export interface Mensagens {
  /** oldest first */
  items: Mensagem[];
  /** older mensagens exist beyond those loaded */
  hasOlder: boolean;
  loadOlder(): void;
  error: string | null;
}

interface Held {
  order: string[];
  byId: Map<string, Mensagem>;
  before: string | null;
  hasOlder: boolean;
}

const EMPTY: Held = { order: [], byId: new Map(), before: null, hasOlder: false };

/** @param recent mensagens the empresa's channel brought lately, some of them perhaps not in PostgreSQL yet */
export function useMensagens(conversaId: string, recent?: RecentMensagens): Mensagens {
  const { rest, client } = useChatCentral();
  const [held, setHeld] = useState<Held>(EMPTY);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before: string | null) => {
      try {
        const page = await rest.get<MensagemPage>(`/api/v1/conversas/${encodeURIComponent(conversaId)}/mensagens`, { before, limit: 50 });
        setHeld((current) => {
          const byId = new Map(current.byId);
          const fresh = page.items.filter((m) => !byId.has(m.mensagemId));
          // what is held (older pages, or what arrived live meanwhile, which is newer) keeps its place and its state
          for (const mensagem of fresh) byId.set(mensagem.mensagemId, mensagem);
          // the newest page may lack what the log has and PostgreSQL not yet: newer than the page, so they go last
          const late = before === null ? (recent?.of(conversaId) ?? []).filter((m) => !byId.has(m.mensagemId)) : [];
          for (const mensagem of late) byId.set(mensagem.mensagemId, mensagem);
          return {
            order: [...fresh.map((m) => m.mensagemId), ...current.order, ...late.map((m) => m.mensagemId)],
            byId,
            before: before === null && current.before !== null ? current.before : page.before,
            hasOlder: page.hasMore,
          };
        });
        setError(null);
      } catch (failure) {
        setError(`Não foi possível carregar as mensagens: ${(failure as Error).message}`);
      }
    },
    [rest, conversaId, recent],
  );

  useEffect(() => {
    setHeld(EMPTY);
    void load(null);
  }, [load]);

  const channel = `conversa:${conversaId}`;
  useChannel(channel, (event) => {
    if (event.type === 'message_notification' && event.data.mensagem.conversaId === conversaId) {
      const mensagem = event.data.mensagem;
      setHeld((current) => {
        const known = current.byId.get(mensagem.mensagemId);
        // its first appearance arriving late must not undo the changes held since
        if (known && (known.revision ?? 0) > (mensagem.revision ?? 0)) return current;
        const byId = new Map(current.byId).set(mensagem.mensagemId, mensagem);
        const order = known ? current.order : [...current.order, mensagem.mensagemId];
        return { ...current, byId, order };
      });
    } else if (isMensagemChange(event) && event.data.conversaId === conversaId) {
      setHeld((current) => {
        const known = current.byId.get(event.data.mensagemId);
        if (!known) return current;
        return { ...current, byId: new Map(current.byId).set(known.mensagemId, applyMensagemChange(known, event)) };
      });
    }
  });
  useEffect(() => client.on('resync', (resync) => resync.channel === channel && void load(null)), [client, channel, load]);

  return {
    items: held.order.map((id) => held.byId.get(id)!),
    hasOlder: held.hasOlder,
    loadOlder: () => {
      if (held.before) void load(held.before);
    },
    error,
  };
}
