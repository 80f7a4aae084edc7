/** Renders the console against the SDK's fake gateway (clients/js/test/fakes.ts), signed in with a given token. */
import type { Conversa, Mensagem } from '@chat-central/client';
import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { EMPRESA, USER, fakeFetch, fakeWebSockets, json, jwt, settle, type FakeRequest } from '../../js/test/fakes.js';
import { App, type ClientSettings } from '../src/App';
import type { ConsoleConfig } from '../src/sessao/config';

export { EMPRESA, USER, event, json, jwt, settle } from '../../js/test/fakes.js';

export const CONFIG: ConsoleConfig = { gatewayUrl: 'https://gw.test' };

/** A sessionStorage of its own per test. */
export function memoryStorage(token?: string): Storage {
  const items = new Map<string, string>();
  const storage = {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k: string) => items.get(k) ?? null,
    key: (i: number) => [...items.keys()][i] ?? null,
    removeItem: (k: string) => void items.delete(k),
    setItem: (k: string, v: string) => void items.set(k, v),
  };
  if (token) storage.setItem('chat-central.console.token', token);
  return storage;
}

export function renderConsole({
  token = jwt({ name: 'Ana' }),
  config = CONFIG,
  hash = '',
  clientOptions = {},
}: { token?: string | null; config?: ConsoleConfig; hash?: string; clientOptions?: ClientSettings } = {}) {
  globalThis.location.hash = hash;
  const sockets = fakeWebSockets();
  const http = fakeFetch();
  const view = render(
    <App config={config} storage={memoryStorage(token ?? undefined)} clientOptions={{ WebSocket: sockets.WebSocket, fetch: http.fetch, random: () => 0.5, ...clientOptions }} />,
  );
  /** Answers the first unanswered request to `path` whose query matches. */
  const answer = async (path: string, body: unknown, query: Record<string, string> = {}, status = 200): Promise<FakeRequest> => {
    await act(settle);
    const request = http.requests.find(
      (r) => r.url.pathname === path && !(r as { taken?: boolean }).taken && Object.entries(query).every(([k, v]) => r.url.searchParams.get(k) === v),
    );
    if (!request) throw new Error(`no pending request to ${path} ${JSON.stringify(query)}; requests: ${http.requests.map((r) => r.url.href).join(', ')}`);
    (request as { taken?: boolean }).taken = true;
    await act(async () => {
      request.respond(json(body, status));
      await settle();
    });
    return request;
  };
  /** Lets the client open its socket, and accepts it. */
  const connect = async () => {
    await act(settle);
    const socket = sockets.last();
    act(() => {
      socket.accept();
    });
    return socket;
  };
  return { ...view, sockets, http, answer, connect };
}

export async function advance(ms: number): Promise<void> {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

let seq = 0;

export function conversa(fields: Partial<Conversa> = {}): Conversa {
  seq++;
  return {
    conversaId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    empresaId: EMPRESA,
    instance: 'loja-01',
    remoteJid: `55119999900${seq}@s.whatsapp.net`,
    remoteJidAlt: null,
    contactName: `Cliente ${seq}`,
    status: 'aguardando',
    atendenteId: null,
    unreadCount: 0,
    lastMensagemPreview: 'oi',
    lastMensagemAt: '2026-11-29T10:00:00Z',
    version: 1,
    createdAt: '2026-11-29T09:00:00Z',
    updatedAt: '2026-11-29T10:00:00Z',
    ...fields,
  };
}

export function mensagem(conversaId: string, fields: Partial<Mensagem> = {}): Mensagem {
  seq++;
  return {
    mensagemId: `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversaId,
    empresaId: EMPRESA,
    instance: 'loja-01',
    keyId: `3EB0${seq}`,
    fromMe: false,
    senderJid: '5511999990000@s.whatsapp.net',
    senderName: 'Maria',
    messageType: 'conversation',
    text: 'oi',
    status: 'DELIVERY_ACK',
    sentAt: '2026-11-29T10:00:00Z',
    receivedAt: '2026-11-29T10:00:00.300Z',
    revision: 0,
    ...fields,
  };
}

export const page = (items: unknown[], nextCursor: string | null = null) => ({ items, nextCursor });
export const mensagemPage = (items: unknown[]) => ({ items, hasMore: false, before: null, after: null });
