/**
 * The SSE stream at `/realtime/sse`, read with `fetch` rather than `EventSource`: fetch can send the token in a
 * header (not in the URL, where access logs keep it), shows the status and body of a refusal (401 needs a new
 * token, 403 names the refused channel), and does not reconnect by itself with a token that may have expired.
 * The stream's frames are the WebSocket's; it ends with a `closing` frame carrying the code a WebSocket would get.
 */
import { SseParser } from './sse-parser.js';
import { authHeaders, isAbort, networkFailure, primeChannels, realtimeUrl, refusal } from './http.js';
import type { ClientFrame } from '../protocol/frames.js';
import type { Transport, TransportClose, TransportContext, TransportListener } from './types.js';

export class SseTransport implements Transport {
  readonly kind = 'sse';
  private controller = new AbortController();
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly ctx: TransportContext,
    private readonly listener: TransportListener,
  ) {
    void this.run(this.controller.signal);
  }

  send(_frame: ClientFrame): boolean {
    return false;
  }

  /** A new stream with the current channels and token, resuming from the positions held; the old one is dropped. */
  renew(): void {
    if (this.closed) return;
    this.controller.abort();
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.stallTimer);
    this.controller.abort();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let closing: TransportClose | undefined;
    try {
      const channels = this.ctx.channels();
      if (channels.length === 0) {
        // nothing to follow (the gateway refuses a stream without channels): wait for `renew()`
        this.listener.established();
        return;
      }
      const fresh = channels.filter((c) => this.ctx.positions.get(c) === undefined);
      if (fresh.length > 0 && fresh.length < channels.length) {
        const primed = await primeChannels(this.ctx, this.listener, fresh, signal);
        if (!primed.ok) return this.end(signal, primed.close);
      }
      this.watchStall(signal);
      const response = await this.ctx.fetch(realtimeUrl(this.ctx, '/realtime/sse', channels, this.ctx.positions.sharedSince(channels)), {
        headers: authHeaders(this.ctx, 'text/event-stream'),
        cache: 'no-store',
        signal,
      });
      if (!response.ok) return this.end(signal, await refusal(response));
      if (!response.body) return this.end(signal, { code: 1006, reason: 'no readable stream body' });
      const parser = new SseParser((data) => {
        closing ??= closingOf(data);
        this.listener.text(data);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.watchStall(signal);
        parser.push(value);
      }
      this.end(signal, closing ?? { code: 1006, reason: 'the stream ended without a closing frame' });
    } catch (error) {
      if (!isAbort(error)) this.end(signal, networkFailure(error));
    }
  }

  /** Only the current stream may end the transport: one dropped by `renew()` goes quietly. */
  private end(signal: AbortSignal, close: TransportClose): void {
    if (this.closed || signal.aborted) return;
    this.close();
    this.listener.closed(close);
  }

  /** The gateway writes at least a `: ping` every PING_INTERVAL; silence for longer means a dead or buffering path. */
  private watchStall(signal: AbortSignal): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.end(signal, { code: 1006, reason: 'the stream stalled' }), this.ctx.stallTimeoutMs);
  }
}

function closingOf(data: string): TransportClose | undefined {
  try {
    const frame: unknown = JSON.parse(data);
    if (typeof frame === 'object' && frame !== null && (frame as { type?: unknown }).type === 'closing') {
      const { code, reason } = frame as { code?: unknown; reason?: unknown };
      if (typeof code === 'number') return { code, reason: typeof reason === 'string' ? reason : '' };
    }
  } catch {
    // the client reports malformed frames; here only a closing frame matters
  }
  return undefined;
}
