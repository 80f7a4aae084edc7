import type { ConnectionState } from '@chat-central/client';
import { useChatCentral, useConnectionState } from '@chat-central/react';
import { UNREACHABLE_RETRY_MS } from './startingOver';

const TRANSPORTS = { websocket: 'WebSocket', sse: 'SSE', poll: 'long-poll' } as const;

type BannerState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/**
 * The client's status, except that trying again after a lost connection is `reconnecting` throughout: the client
 * moves between `reconnecting` (waiting) and `connecting` (an attempt in flight), which would make the banner flicker.
 */
function bannerState(state: ConnectionState): BannerState {
  switch (state.status) {
    case 'idle':
    case 'connecting':
      return state.lastClose ? 'reconnecting' : 'connecting';
    default:
      return state.status;
  }
}

function describe(banner: BannerState, state: ConnectionState): string {
  switch (banner) {
    case 'connecting':
      return 'Conectando…';
    case 'connected':
      return state.transport && state.transport !== 'websocket' ? `Conectado (via ${TRANSPORTS[state.transport]})` : 'Conectado';
    case 'reconnecting':
      return `Conexão perdida — reconectando (tentativa ${Math.max(1, state.attempt)})… As respostas escritas agora serão enviadas ao reconectar.`;
    case 'failed':
      if (state.lastClose?.code === 4001) return 'Sessão expirada: saia e entre de novo.';
      return `Sem conexão com o servidor: ${state.error ?? ''}${state.failure === 'unreachable' ? `. Nova tentativa em ${UNREACHABLE_RETRY_MS / 1000} s.` : ''}`;
    case 'closed':
      return 'Desconectado';
  }
}

/** The connection state, always visible: a browser test waits on "reconectando" and on `data-state`. */
export function ConnectionBanner() {
  const { client } = useChatCentral();
  const state = useConnectionState();
  const banner = bannerState(state);
  return (
    <div className={`connection-banner ${banner}`} data-testid="connection-banner" data-state={banner} role="status">
      {describe(banner, state)}
      {state.status === 'failed' && state.lastClose?.code !== 4001 && (
        <button type="button" onClick={() => client.connect()}>
          Tentar de novo
        </button>
      )}
    </div>
  );
}
