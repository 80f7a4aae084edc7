/**
 * One `ChatCentralClient` (and the REST API with the same token) for a React tree. The client is made once per
 * provider: to start over with another token or gateway, give the provider a new `key`.
 */
import { ChatCentralClient, decodeClaims, type ClientOptions, type TokenClaims, type TokenProvider } from '@chat-central/client';
import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { RestClient } from './rest.js';

export interface ChatCentral {
  client: ChatCentralClient;
  rest: RestClient;
  /** the claims of a fixed token (unverified); null for a token callback until the session says who it is */
  claims: TokenClaims | null;
}

export interface ChatCentralProviderProps {
  /** the gateway's base URL */
  url: string | URL;
  /** the agent JWT, or a callback (see docs/client.md "Connect") */
  token: string | TokenProvider;
  /** any other `ClientOptions` (transports, command buffer, timings, WebSocket and fetch for tests) */
  options?: Omit<ClientOptions, 'url' | 'token'>;
  /** connect on mount and close on unmount (default true) */
  autoConnect?: boolean;
  children?: ReactNode;
}

const Context = createContext<ChatCentral | null>(null);

export function ChatCentralProvider({ url, token, options, autoConnect = true, children }: ChatCentralProviderProps) {
  const [value] = useState<ChatCentral>(() => ({
    client: new ChatCentralClient({ ...options, url, token }),
    rest: new RestClient({ url, token, ...(options?.fetch ? { fetch: options.fetch } : {}) }),
    claims: typeof token === 'string' ? decodeClaims(token) : null,
  }));
  useEffect(() => {
    if (!autoConnect) return;
    value.client.connect();
    return () => value.client.close();
  }, [value, autoConnect]);
  return createElement(Context.Provider, { value }, children);
}

/** The provider's client, REST API and token claims; throws outside a `ChatCentralProvider`. */
export function useChatCentral(): ChatCentral {
  const value = useContext(Context);
  if (!value) throw new Error('useChatCentral: no ChatCentralProvider above this component');
  return value;
}
