/**
 * A fake gateway for the client's tests: a WebSocket class and a fetch the tests drive frame by frame, under fake
 * timers. Each test plays the server: it answers `connected`, `subscribed`, events, closes with a code, refuses an
 * HTTP request, and reads what the client sent.
 */
import { vi } from 'vitest';
import { ChatCentralClient, type ClientOptions } from '../src/client.js';
import type { ClientFrame } from '../src/protocol/frames.js';
import type { WebSocketConstructor, WebSocketLike } from '../src/transport/types.js';

export const EMPRESA = 'emp-1';
export const USER = 'user-1';
export const CONVERSA = '0b6c3d9e-5a0f-4f2e-9f4a-1a2b3c4d5e6f';

/** An unsigned JWT with the claims the client reads (the gateway checks signatures, the client does not). */
export function jwt(claims: { sub?: string; empresaId?: string; exp?: number; [k: string]: unknown } = {}): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = { sub: USER, empresaId: EMPRESA, roles: ['atendente'], exp: Math.floor(Date.now() / 1000) + 3600, ...claims };
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.c2lnbmF0dXJl`;
}

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** frames the client sent, parsed */
  readonly sent: ClientFrame[] = [];
  closedByClient: { code?: number; reason?: string } | null = null;
  /** answer JSON pings as the gateway does; a test of a dead server turns it off */
  autoPong = true;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  /** The upgrade succeeded and the node says `connected`. */
  accept(session: { userId?: string; expiresAt?: string; node?: string } = {}): this {
    this.readyState = 1;
    this.onopen?.({});
    this.receive({
      type: 'connected',
      sessionId: `s-${Math.random().toString(36).slice(2)}`,
      userId: session.userId ?? USER,
      empresaId: EMPRESA,
      node: session.node ?? 'gateway-a',
      expiresAt: session.expiresAt ?? new Date(Date.now() + 3_600_000).toISOString(),
    });
    return this;
  }

  receive(frame: object | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** The server closes (with a `closing` frame first when it started the close, as the gateway does). */
  serverClose(code: number, reason = ''): void {
    if (code !== 1003 && code !== 1009 && code !== 1006) this.receive({ type: 'closing', code, reason });
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The upgrade was refused or the network cut: the browser reports 1006. */
  fail(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as ClientFrame;
    this.sent.push(frame);
    if (frame.type === 'ping' && this.autoPong) queueMicrotask(() => this.readyState === 1 && this.receive({ type: 'pong' }));
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '' });
  }

  framesOf<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

export function fakeWebSockets(): { WebSocket: WebSocketConstructor; sockets: FakeSocket[]; last: () => FakeSocket } {
  const sockets: FakeSocket[] = [];
  class WebSocket extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, typeof protocols === 'string' ? [protocols] : (protocols ?? []));
      sockets.push(this);
    }
  }
  return {
    WebSocket,
    sockets,
    last: () => {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no WebSocket was opened');
      return socket;
    },
  };
}

export interface FakeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
  /** answers the request (a held poll, a stream) */
  respond(response: Response): void;
}

/** A fetch whose requests wait in `requests` until the test answers them. */
export function fakeFetch(): { fetch: typeof fetch; requests: FakeRequest[]; next: (path: string) => FakeRequest } {
  const requests: FakeRequest[] = [];
  const fetchFn = ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      const abort = () => reject(new DOMException('aborted', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      requests.push({
        url: new URL(String(input)),
        method: init.method ?? 'GET',
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        signal,
        respond: resolve,
      });
    })) as typeof fetch;
  return {
    fetch: fetchFn,
    requests,
    next: (path: string) => {
      const request = requests.find((r) => r.url.pathname === path && !(r as { taken?: boolean }).taken);
      if (!request) throw new Error(`no pending request to ${path}; requests: ${requests.map((r) => r.url.pathname).join(', ')}`);
      (request as { taken?: boolean }).taken = true;
      return request;
    },
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** An SSE response the test writes frames into. */
export function sseStream(): { response: Response; send: (frame: object) => void; comment: () => void; end: () => void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (frame) => controller.enqueue(encoder.encode(`data:${JSON.stringify(frame)}\n\n`)),
    comment: () => controller.enqueue(encoder.encode(': ping\n\n')),
    end: () => controller.close(),
  };
}

export function event(type: string, channel: string, position: number, data: object = {}, id = `${type}-${position}`) {
  return { type, channel, id, data, position, ts: new Date().toISOString() };
}

/** Lets promise callbacks run (fetch answers, token callbacks) without moving the fake clock. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}

/** A client wired to the fakes, with jitter fixed at half the cap unless the test says otherwise. */
export function makeClient(options: Partial<ClientOptions> & { sockets?: ReturnType<typeof fakeWebSockets>; http?: ReturnType<typeof fakeFetch> } = {}) {
  const sockets = options.sockets ?? fakeWebSockets();
  const http = options.http ?? fakeFetch();
  const client = new ChatCentralClient({
    url: 'https://gw.test',
    token: options.token ?? jwt(),
    WebSocket: sockets.WebSocket,
    fetch: http.fetch,
    random: () => 0.5,
    ...options,
  });
  return { client, sockets, http };
}
