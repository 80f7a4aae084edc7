import type { ConnectionState } from '@chat-central/client';
import { useChatCentral, useConnectionState } from '@chat-central/react';

const TRANSPORTS = { websocket: 'WebSocket', sse: 'SSE', poll: 'long-poll' } as const;

function describe(state: ConnectionState): string {
  switch (state.status) {
    case 'idle':
    case 'connecting':
      return 'Conectando…';
    case 'connected':
      return state.transport && state.transport !== 'websocket' ? `Conectado (via ${TRANSPORTS[state.transport]})` : 'Conectado';
    case 'reconnecting':
      return `Conexão perdida — reconectando (tentativa ${state.attempt})… As respostas escritas agora serão enviadas ao reconectar.`;
    case 'failed':
      return state.lastClose?.code === 4001 ? 'Sessão expirada: saia e entre de novo.' : `Sem conexão com o servidor: ${state.error ?? ''}`;
    case 'closed':
      return 'Desconectado';
  }
}

/** The connection state, always visible: a browser test waits on "reconectando" and on `data-state`. */
export function ConnectionBanner() {
  const { client } = useChatCentral();
  const state = useConnectionState();
  return (
    <div className={`connection-banner ${state.status}`} data-testid="connection-banner" data-state={state.status} role="status">
      {describe(state)}
      {state.status === 'failed' && state.lastClose?.code !== 4001 && (
        <button type="button" onClick={() => client.connect()}>
          Tentar de novo
        </button>
      )}
    </div>
  );
}
