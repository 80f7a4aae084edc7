import { CONVERSA_STATUSES, type ConversaStatus, type OnlineUser } from '@chat-central/client';
import { useEffect } from 'react';
import { STATUS_LABELS, atendenteName, contactOf, timeOf } from './format';
import type { Conversas } from './useConversas';

export interface ListFilter {
  status: ConversaStatus;
  /** '' for every atendente */
  atendente: string;
}

/** The conversas of one status, optionally of one atendente, live. */
export function ConversaList({
  conversas,
  filter,
  onFilter,
  selected,
  onSelect,
  online,
  ownUserId,
}: {
  conversas: Conversas;
  filter: ListFilter;
  onFilter: (filter: ListFilter) => void;
  selected: string | null;
  onSelect: (conversaId: string) => void;
  online: readonly OnlineUser[];
  ownUserId: string;
}) {
  const { ensure } = conversas;
  useEffect(() => {
    for (const status of CONVERSA_STATUSES) ensure({ status, atendente: filter.atendente });
  }, [ensure, filter.atendente]);

  const matching = (status: ConversaStatus) =>
    conversas.all.filter((c) => c.status === status && (filter.atendente === '' || c.atendenteId === filter.atendente));
  const shown = matching(filter.status);
  // the atendentes one can filter by: who is online, and whoever has conversas
  const atendentes = new Set<string>([ownUserId, ...online.map((u) => u.userId)]);
  for (const conversa of conversas.all) if (conversa.atendenteId) atendentes.add(conversa.atendenteId);

  return (
    <nav className="conversa-list" aria-label="Conversas">
      <div className="tabs" role="tablist">
        {CONVERSA_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            role="tab"
            aria-selected={filter.status === status}
            data-testid={`status-tab-${status}`}
            onClick={() => onFilter({ ...filter, status })}
          >
            {STATUS_LABELS[status]} <span className="count">{matching(status).length}</span>
          </button>
        ))}
      </div>
      <label className="atendente-filter">
        Atendente{' '}
        <select data-testid="atendente-filter" value={filter.atendente} onChange={(e) => onFilter({ ...filter, atendente: e.target.value })}>
          <option value="">Todos</option>
          {[...atendentes].sort().map((userId) => (
            <option key={userId} value={userId}>
              {userId === ownUserId ? `Eu (${atendenteName(userId, online)})` : atendenteName(userId, online)}
            </option>
          ))}
        </select>
      </label>
      {conversas.error && (
        <p className="error" role="alert">
          {conversas.error}
        </p>
      )}
      <ul data-testid={`conversa-list-${filter.status}`}>
        {shown.length === 0 && <li className="empty">Nenhuma conversa.</li>}
        {shown.map((conversa) => (
          <li key={conversa.conversaId}>
            <button
              type="button"
              className={conversa.conversaId === selected ? 'conversa-item selected' : 'conversa-item'}
              data-testid="conversa-item"
              data-conversa-id={conversa.conversaId}
              data-status={conversa.status}
              onClick={() => onSelect(conversa.conversaId)}
            >
              <span className="contact">{contactOf(conversa)}</span>
              <span className="when">{timeOf(conversa.lastMensagemAt)}</span>
              <span className="preview">{conversa.lastMensagemPreview ?? ''}</span>
              {conversa.atendenteId && <span className="owner">{atendenteName(conversa.atendenteId, online)}</span>}
              {conversa.unreadCount > 0 && <span className="unread">{conversa.unreadCount}</span>}
            </button>
          </li>
        ))}
      </ul>
      {conversas.hasMore(filter) && (
        <button type="button" className="more" onClick={() => conversas.loadMore(filter)}>
          Carregar mais
        </button>
      )}
    </nav>
  );
}
