/**
 * The WebSocket at `/ws`. Browsers cannot set headers on a WebSocket, so the token travels as a subprotocol:
 * `["chatcentral.v1", "bearer.<jwt>"]`; the gateway selects `chatcentral.v1` and never echoes the token.
 */
import { endpoint } from './http.js';
import { SUBPROTOCOL, type ClientFrame } from '../protocol/frames.js';
import type { Transport, TransportContext, TransportListener, WebSocketLike } from './types.js';

const OPEN = 1;

export class WebSocketTransport implements Transport {
  readonly kind = 'websocket';
  private readonly socket: WebSocketLike;

  constructor(ctx: TransportContext, listener: TransportListener) {
    const url = endpoint(ctx.baseUrl, '/ws');
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.socket = new ctx.WebSocket(url.href, [SUBPROTOCOL, `bearer.${ctx.token()}`]);
    this.socket.onmessage = (event) => {
      // the gateway sends text only; anything else is reported as a malformed frame
      listener.text(typeof event.data === 'string' ? event.data : String(event.data));
    };
    this.socket.onclose = (event) => {
      this.detach();
      listener.closed({ code: event.code, reason: event.reason });
    };
    // an error is always followed by a close, which carries what there is to know
    this.socket.onerror = null;
  }

  send(frame: ClientFrame): boolean {
    if (this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  renew(): void {
    // channels change with subscribe/unsubscribe frames and the token with a refresh frame
  }

  close(): void {
    this.detach();
    try {
      this.socket.close(1000, 'client closed');
    } catch {
      // closing a socket that never opened may throw in some environments; it is gone either way
    }
  }

  private detach(): void {
    this.socket.onmessage = null;
    this.socket.onclose = null;
  }
}
