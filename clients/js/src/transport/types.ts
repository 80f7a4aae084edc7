/**
 * One way of talking to a gateway node. The client opens one transport at a time (plus a WebSocket probe while it
 * runs on a fallback), and all three deliver the same frames: the client does not care which one carries them.
 */
import type { Positions } from '../positions.js';
import type { ClientFrame } from '../protocol/frames.js';

export type TransportKind = 'websocket' | 'sse' | 'poll';

/** How a transport ended, in the terms of docs/protocol.md. */
export interface TransportClose {
  /** the WebSocket close code, or the code of the `closing` frame that ended an SSE stream; 1006 for a cut */
  code: number;
  reason: string;
  /** the HTTP status of a refused SSE or long-poll request (then `code` is 1006) */
  status?: number;
  /** the refusal's `error` (`unauthorized`, `forbidden`, `max_connections`, ...) */
  error?: string;
  /** the channel a refusal named: that channel, not the connection, is the problem */
  channel?: string;
  /** the refusal's `Retry-After`, in ms */
  retryAfterMs?: number;
}

export interface TransportListener {
  /** one frame as text (a WebSocket message, an SSE `data:`) */
  text(text: string): void;
  /** one frame already parsed (an element of a long-poll answer) */
  frame(value: unknown): void;
  /**
   * Long-poll and SSE priming: every event of `channels` up to `position` has been delivered, like `subscribed`.
   * `recovered` is the answer's, when the request named a `since`.
   */
  advanced(channels: readonly string[], position: number, recovered: boolean | undefined): void;
  /**
   * Long-poll has no `connected` frame: its first answer establishes the session. SSE and long-poll without any
   * channel to follow send no request (the gateway would refuse it) and are established at once.
   */
  established(): void;
  /** the transport ended by itself; never called after `close()` */
  closed(close: TransportClose): void;
}

export interface TransportContext {
  /** the gateway's base URL, http(s) */
  baseUrl: URL;
  /** the token to use now (it changes with refreshes) */
  token(): string;
  /** the channels to follow now */
  channels(): readonly string[];
  /** the positions held (read to build `since`; moved only through `advanced`) */
  positions: Positions;
  fetch: typeof fetch;
  WebSocket: WebSocketConstructor;
  /** an SSE stream that sends nothing (not even its `: ping`) or a poll unanswered for this long is dead */
  stallTimeoutMs: number;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The part of the browser's WebSocket the client uses (the `ws` package's client fits it too). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface Transport {
  readonly kind: TransportKind;
  /** sends a frame; false when this transport cannot (SSE, long-poll) or is not open */
  send(frame: ClientFrame): boolean;
  /** the channels or the token changed: SSE and long-poll start a new request with them (the WebSocket uses frames) */
  renew(): void;
  /** ends it; no `closed` callback follows */
  close(): void;
}
