/**
 * What the client does after each close code (docs/protocol.md "Close codes"). SSE and long-poll report the same
 * codes in a `closing` frame; a refused HTTP request is mapped onto these actions by the transports.
 */
export type CloseAction =
  /** we closed it ourselves: nothing to do */
  | 'none'
  /** a bug in the client (binary frame, frame too large): reconnecting would repeat it, so stop */
  | 'stop'
  /** reconnect with backoff and resume */
  | 'backoff'
  /** the node is going away: reconnect at once (another node) and resume */
  | 'immediate'
  /** the server asks for a pause: wait at least `pauseMs`, then backoff */
  | 'pause'
  /** the token expired: ask the app for a new one, reconnect, resume */
  | 'new_token';

export interface CloseCodeInfo {
  action: CloseAction;
  meaning: string;
}

export const CLOSE_CODES = {
  1000: { action: 'none', meaning: 'the client closed' },
  1003: { action: 'stop', meaning: 'the client sent a binary frame' },
  1006: { action: 'backoff', meaning: 'connection cut without a close frame (network failure)' },
  1009: { action: 'stop', meaning: 'a frame larger than WEBSOCKET_MAX_FRAME_SIZE' },
  1011: { action: 'backoff', meaning: 'an unexpected server error' },
  1012: { action: 'immediate', meaning: 'service restart: the node is shutting down' },
  1013: { action: 'pause', meaning: "try again later: the empresa's events could not be made ready" },
  4001: { action: 'new_token', meaning: 'the token expired without a refresh' },
  4008: { action: 'backoff', meaning: 'nothing received within CONNECTION_TIMEOUT' },
  4029: { action: 'pause', meaning: 'the frame-rate limit was exceeded persistently' },
  4500: { action: 'backoff', meaning: 'the client read too slowly (send queue overflow)' },
} as const satisfies Record<number, CloseCodeInfo>;

export type KnownCloseCode = keyof typeof CLOSE_CODES;

/** A code the table does not name is a failure like any other: backoff. */
export function closeAction(code: number): CloseAction {
  const info = (CLOSE_CODES as Record<number, CloseCodeInfo>)[code];
  return info ? info.action : 'backoff';
}
