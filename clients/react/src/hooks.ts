/**
 * The seed's hooks (docs/client.md "React hooks") on the provider's one client. Views of the SDK (presence,
 * typing) are made in an effect and disposed in its cleanup, since each holds a channel subscription; their values
 * reach React through `useSyncExternalStore`, which they are shaped for.
 */
import type {
  CommandAccepted,
  ConnectionMetrics,
  ConnectionState,
  OnlineUser,
  PresenceStatus,
  RealtimeEvent,
  TypingUser,
} from '@chat-central/client';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useChatCentral } from './provider.js';

/** The connection state, re-rendered on every change. */
export function useConnectionState(): ConnectionState {
  const { client } = useChatCentral();
  const subscribe = useCallback((listener: () => void) => client.on('state', listener), [client]);
  return useSyncExternalStore(subscribe, () => client.state);
}

/** The connected user's id: the session's, else the token's `sub`. */
export function useOwnUserId(): string | undefined {
  const { claims } = useChatCentral();
  return useConnectionState().session?.userId ?? claims?.sub;
}

/**
 * Calls `handler` with every event of `channel` (null: none) while mounted. The latest `handler` is used, so it
 * need not be memoised; the subscription changes only with the channel.
 */
export function useChannel(channel: string | null, handler: (event: RealtimeEvent) => void): void {
  const { client } = useChatCentral();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!channel) return;
    return client.subscribe(channel, (event) => latest.current(event));
  }, [client, channel]);
}

/** A value made by `create` in an effect and disposed in its cleanup; null before the effect ran. */
function useDisposable<T extends { dispose(): void }>(create: () => T, deps: readonly unknown[]): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    const made = create();
    setValue(made);
    return () => {
      made.dispose();
      setValue(null);
    };
    // `create` is a new closure on every render: `deps` say when it makes something else
  }, deps);
  return value;
}

const NO_USERS: readonly OnlineUser[] = [];
const NO_TYPING: readonly TypingUser[] = [];
const noSubscription = () => () => {};

export interface PresenceSystem {
  /** who is online in the empresa, ordered by userId */
  onlineUsers: readonly OnlineUser[];
  /** whether this user is among them */
  isOnline: boolean;
  /** a keystroke in a conversa: `typing_start` once, `typing_stop` 3 s after the last keystroke */
  startTyping(conversaId: string): void;
  /** stop typing in a conversa now */
  stopTyping(conversaId: string): void;
  /** this user's chosen status, sent now and after every reconnect; false while it cannot be sent (no WebSocket) */
  updatePresence(status: PresenceStatus): boolean;
}

/** The seed's `usePresenceSystem(empresaId)`: who is online (`presence:{empresaId}`), and this user's typing and status. */
export function usePresenceSystem(empresaId?: string): PresenceSystem {
  const { client } = useChatCentral();
  const ownUserId = useOwnUserId();
  const view = useDisposable(() => client.presence(empresaId), [client, empresaId]);
  const state = useSyncExternalStore(view ? view.subscribe : noSubscription, () => view?.get().onlineUsers ?? NO_USERS);
  const startTyping = useCallback((conversaId: string) => client.keystroke(conversaId), [client]);
  const stopTyping = useCallback((conversaId: string) => client.stopTyping(conversaId), [client]);
  const updatePresence = useCallback((status: PresenceStatus) => client.setStatus(status), [client]);
  return {
    onlineUsers: state,
    isOnline: ownUserId !== undefined && state.some((user) => user.userId === ownUserId),
    startTyping,
    stopTyping,
    updatePresence,
  };
}

export interface ConversationRealtime {
  /** who else types in the conversa (atendentes by userId, the customer by jid); dropped 10 s after their last start */
  typingUsers: readonly TypingUser[];
  /** a session is established */
  isConnected: boolean;
  /** true on every keystroke (stops by itself 3 s after the last one), false to stop now */
  sendTypingIndicator(isTyping: boolean): void;
  /** sends a reply (`send_message`; kept in the offline buffer until the gateway has it) and stops typing */
  notifyNewMessage(text: string, options?: { commandId?: string; quotedMensagemId?: string | null }): Promise<CommandAccepted>;
}

/** The seed's `useConversationRealtime(conversaId)`: typing both ways in one conversa, and replies. */
export function useConversationRealtime(conversaId: string): ConversationRealtime {
  const { client } = useChatCentral();
  const view = useDisposable(() => client.typing(conversaId), [client, conversaId]);
  const typingUsers = useSyncExternalStore(view ? view.subscribe : noSubscription, view ? view.get : () => NO_TYPING);
  const isConnected = useConnectionState().status === 'connected';
  const sendTypingIndicator = useCallback(
    (isTyping: boolean) => (isTyping ? client.keystroke(conversaId) : client.stopTyping(conversaId)),
    [client, conversaId],
  );
  const notifyNewMessage = useCallback(
    (text: string, options: { commandId?: string; quotedMensagemId?: string | null } = {}) => {
      const sent = client.command({ command: 'send_message', conversaId, text, ...options });
      client.stopTyping(conversaId);
      return sent;
    },
    [client, conversaId],
  );
  return { typingUsers, isConnected, sendTypingIndicator, notifyNewMessage };
}

/** The seed's `useConnectionMetrics()`: this client's metrics, published every 10 s. */
export function useConnectionMetrics(): ConnectionMetrics {
  const { client } = useChatCentral();
  const metrics = client.metrics();
  return useSyncExternalStore(metrics.subscribe, metrics.get);
}
