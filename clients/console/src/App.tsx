import { IndexedDbCommandBuffer, PRESENCE_STATUSES, type ClientOptions, type PresenceStatus, type RealtimeEvent } from '@chat-central/client';
import { ChatCentralProvider, useChannel, usePresenceSystem } from '@chat-central/react';
import { useState } from 'react';
import { ConnectionBanner } from './ConnectionBanner';
import { InstanceAlerts } from './InstanceAlerts';
import { useStartingOver } from './startingOver';
import { ConversaList, type ListFilter } from './conversas/ConversaList';
import { ConversaView } from './conversas/ConversaView';
import { atendenteName, contactOf } from './conversas/format';
import { useRecentMensagens } from './conversas/recentMensagens';
import { useConversas } from './conversas/useConversas';
import { QueueMonitoring } from './fila/QueueMonitoring';
import { gatewayUrl, type ConsoleConfig } from './sessao/config';
import { SignIn } from './sessao/SignIn';
import { displayName, isSupervisor, keepSession, storedSession, type Session } from './sessao/session';
import { useHashRoute } from './useHashRoute';

export type ClientSettings = Omit<ClientOptions, 'url' | 'token'>;

/** Replies survive a reload where the browser has IndexedDB; elsewhere (tests) the SDK keeps them in memory. */
function defaultSettings(): ClientSettings {
  return 'indexedDB' in globalThis ? { commandBuffer: new IndexedDbCommandBuffer() } : {};
}

export function App({
  config,
  clientOptions,
  storage = globalThis.sessionStorage,
}: {
  config: ConsoleConfig;
  /** SDK options over the console's (tests pass a fake WebSocket and fetch) */
  clientOptions?: ClientSettings;
  storage?: Storage;
}) {
  const [session, setSession] = useState(() => storedSession(storage));
  const signIn = (next: Session | null) => {
    keepSession(storage, next);
    setSession(next);
  };
  if (!session) return <SignIn demoUsers={config.demoUsers} onSignIn={signIn} />;
  return (
    <ChatCentralProvider key={session.token} url={gatewayUrl(config)} token={session.token} options={{ ...defaultSettings(), ...clientOptions }}>
      <Shell session={session} onSignOut={() => signIn(null)} />
    </ChatCentralProvider>
  );
}

const STATUS_LABELS: Record<PresenceStatus, string> = { disponivel: 'Disponível', ausente: 'Ausente', ocupado: 'Ocupado' };

interface Notice {
  id: string;
  text: string;
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { sub: ownUserId, empresaId } = session.claims;
  const supervisor = isSupervisor(session);
  const presence = usePresenceSystem(empresaId);
  const conversas = useConversas(empresaId);
  const recent = useRecentMensagens(empresaId);
  const [route, navigate] = useHashRoute();
  const [filter, setFilter] = useState<ListFilter>({ status: 'aguardando', atendente: '' });
  const [status, setStatus] = useState<PresenceStatus>('disponivel');
  const [notices, setNotices] = useState<Notice[]>([]);

  useStartingOver();

  useChannel(`atendente:${ownUserId}`, (event: RealtimeEvent) => {
    const text = noticeOf(event, ownUserId, presence.onlineUsers);
    if (text) setNotices((held) => [{ id: event.id, text }, ...held.filter((n) => n.id !== event.id)].slice(0, 5));
  });

  return (
    <div className="console">
      <header className="top">
        <h1>Console de atendimento</h1>
        <nav>
          <button type="button" data-testid="nav-conversas" aria-current={route.page === 'conversas'} onClick={() => navigate({ page: 'conversas', conversaId: null })}>
            Conversas
          </button>
          {supervisor && (
            <button type="button" data-testid="nav-fila" aria-current={route.page === 'fila'} onClick={() => navigate({ page: 'fila' })}>
              Monitoramento da fila
            </button>
          )}
        </nav>
        <div className="me">
          <span data-testid="current-user">{displayName(session)}</span> · {empresaId}{' '}
          <select
            aria-label="Meu status"
            data-testid="presence-status"
            value={status}
            onChange={(e) => {
              const next = e.target.value as PresenceStatus;
              setStatus(next);
              presence.updatePresence(next);
            }}
          >
            {PRESENCE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>{' '}
          <span className="online-count" data-testid="online-count">
            {presence.onlineUsers.length} online
          </span>{' '}
          <button type="button" data-testid="sign-out" onClick={onSignOut}>
            Sair
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <InstanceAlerts empresaId={empresaId} />
      {notices.length > 0 && (
        <ul className="notices">
          {notices.map((notice) => (
            <li key={notice.id} data-testid="notification">
              {notice.text}{' '}
              <button type="button" aria-label="Dispensar" onClick={() => setNotices((held) => held.filter((n) => n.id !== notice.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {route.page === 'fila' ? (
        supervisor ? (
          <QueueMonitoring />
        ) : (
          <p className="error">Apenas supervisores veem o monitoramento da fila.</p>
        )
      ) : (
        <main className="workspace">
          <ConversaList
            conversas={conversas}
            filter={filter}
            onFilter={setFilter}
            selected={route.conversaId}
            onSelect={(conversaId) => navigate({ page: 'conversas', conversaId })}
            online={presence.onlineUsers}
            ownUserId={ownUserId}
          />
          {route.conversaId ? (
            <ConversaView
              key={route.conversaId}
              conversaId={route.conversaId}
              conversa={conversas.get(route.conversaId)}
              onLoaded={conversas.put}
              online={presence.onlineUsers}
              ownUserId={ownUserId}
              recent={recent}
            />
          ) : (
            <section className="conversa empty">
              <p>Escolha uma conversa.</p>
            </section>
          )}
        </main>
      )}
    </div>
  );
}

/** What the user's own channel has to tell them: a conversa transferred to them, a command refused. */
function noticeOf(event: RealtimeEvent, ownUserId: string, online: Parameters<typeof atendenteName>[1]): string | null {
  switch (event.type) {
    case 'conversation_transferred':
      return event.data.to === ownUserId
        ? `${atendenteName(event.data.by, online)} transferiu para você a conversa com ${contactOf(event.data.conversa)}.`
        : null;
    case 'command_rejected':
      return `Comando "${event.data.type}" recusado: ${event.data.message} (${event.data.reason}).`;
    default:
      return null;
  }
}
