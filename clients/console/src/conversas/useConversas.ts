/**
 * The empresa's conversas: pages from `GET /api/v1/conversas` (per status, optionally per atendente), kept up to
 * date by the `empresa:` channel, whose conversa events carry the whole conversa. A conversa is replaced only by
 * one of the same or a higher `version`, so a REST page read before an event cannot undo it. When the channel
 * cannot be replayed (`resync`), every list loaded is read again.
 */
import type { Conversa, ConversaStatus } from '@chat-central/client';
import { useChannel, useChatCentral } from '@chat-central/react';
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ConversaPage {
  items: Conversa[];
  nextCursor: string | null;
}

export interface ConversaQuery {
  status: ConversaStatus;
  /** only this atendente's; '' for all */
  atendente: string;
}

export interface Conversas {
  /** every conversa known, most recent mensagem first (one without any first, as the API orders them) */
  all: Conversa[];
  get(conversaId: string): Conversa | undefined;
  /** loads the first page of a list, unless it was loaded */
  ensure(query: ConversaQuery): void;
  /** the next page of a list; false when there is none */
  hasMore(query: ConversaQuery): boolean;
  loadMore(query: ConversaQuery): void;
  /** puts a conversa read elsewhere (e.g. a direct link) among the known ones */
  put(conversa: Conversa): void;
  error: string | null;
}

const key = ({ status, atendente }: ConversaQuery) => `${status}|${atendente}`;

export function useConversas(empresaId: string): Conversas {
  const { rest, client } = useChatCentral();
  const [byId, setById] = useState<ReadonlyMap<string, Conversa>>(() => new Map());
  const [cursors, setCursors] = useState<ReadonlyMap<string, string | null>>(() => new Map());
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<string>());

  const put = useCallback((items: readonly Conversa[]) => {
    setById((held) => {
      const next = new Map(held);
      for (const conversa of items) {
        const known = next.get(conversa.conversaId);
        if (!known || known.version <= conversa.version) next.set(conversa.conversaId, conversa);
      }
      return next;
    });
  }, []);

  const load = useCallback(
    async (query: ConversaQuery, cursor: string | null) => {
      try {
        const page = await rest.get<ConversaPage>('/api/v1/conversas', {
          status: query.status,
          atendente: query.atendente,
          limit: 50,
          cursor,
        });
        put(page.items);
        setCursors((held) => new Map(held).set(key(query), page.nextCursor));
        setError(null);
      } catch (failure) {
        requested.current.delete(key(query));
        setError(`Não foi possível carregar as conversas: ${(failure as Error).message}`);
      }
    },
    [rest, put],
  );

  const ensure = useCallback(
    (query: ConversaQuery) => {
      if (requested.current.has(key(query))) return;
      requested.current.add(key(query));
      void load(query, null);
    },
    [load],
  );

  const channel = `empresa:${empresaId}`;
  useChannel(channel, (event) => {
    if (event.type === 'message_notification' || event.type === 'conversation_updated' || event.type === 'conversation_transferred') {
      put([event.data.conversa]);
    }
  });
  useEffect(
    () =>
      client.on('resync', (resync) => {
        if (resync.channel !== channel) return;
        for (const loaded of requested.current) {
          const [status, atendente] = loaded.split('|') as [ConversaStatus, string];
          void load({ status, atendente }, null);
        }
      }),
    [client, channel, load],
  );

  const all = [...byId.values()].sort(byRecency);
  return {
    all,
    get: (conversaId) => byId.get(conversaId),
    ensure,
    hasMore: (query) => (cursors.get(key(query)) ?? null) !== null,
    loadMore: (query) => {
      const cursor = cursors.get(key(query));
      if (cursor) void load(query, cursor);
    },
    put: (conversa) => put([conversa]),
    error,
  };
}

function byRecency(a: Conversa, b: Conversa): number {
  if (a.lastMensagemAt !== b.lastMensagemAt) {
    if (a.lastMensagemAt === null) return -1;
    if (b.lastMensagemAt === null) return 1;
    return a.lastMensagemAt < b.lastMensagemAt ? 1 : -1;
  }
  return a.conversaId < b.conversaId ? 1 : a.conversaId > b.conversaId ? -1 : 0;
}
