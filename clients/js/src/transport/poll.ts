/**
 * Long-polling at `/realtime/poll`, the last resort when neither a WebSocket nor a stream gets through (a proxy
 * that buffers responses). Each answer is `{events, position, recovered?}`; `position` covers every event of the
 * channels up to it, so it becomes every channel's position and the next poll's `since`.
 *
 * The first request of a session names no `since` and is answered at once: it proves the token and channels, gives
 * a presence snapshot, and positions the channels that had no position yet (channels with one keep theirs, so
 * their missed events are replayed by the next poll).
 */
import { authHeaders, isAbort, networkFailure, pollAnswer, primeChannels, realtimeUrl, refusal, withTimeout } from './http.js';
import type { PollAnswer } from './http.js';
import type { ClientFrame } from '../protocol/frames.js';
import type { Transport, TransportClose, TransportContext, TransportListener } from './types.js';

/** An answer without events sooner than this is not a held poll: wait the rest before the next, never spin. */
const MIN_EMPTY_POLL_MS = 1000;

export class PollTransport implements Transport {
  readonly kind = 'poll';
  private controller = new AbortController();
  private closed = false;
  private established = false;

  constructor(
    private readonly ctx: TransportContext,
    private readonly listener: TransportListener,
  ) {
    void this.run(this.controller.signal);
  }

  send(_frame: ClientFrame): boolean {
    return false;
  }

  /** Drops the poll held now and polls again at once with the current channels and token. */
  renew(): void {
    if (this.closed) return;
    this.controller.abort();
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const channels = this.ctx.channels();
        if (channels.length === 0) {
          // nothing to follow (the gateway refuses a poll without channels): wait for `renew()`
          this.establish();
          return;
        }
        const fresh = this.established ? channels.filter((c) => this.ctx.positions.get(c) === undefined) : channels;
        if (fresh.length > 0) {
          const primed = await primeChannels(this.ctx, this.listener, fresh, signal);
          if (!primed.ok) return this.end(signal, primed.close);
          this.establish();
          continue;
        }
        const started = Date.now();
        const answered = await this.poll(channels, signal);
        if (answered === 'stop') return;
        if (answered === 'empty' && Date.now() - started < MIN_EMPTY_POLL_MS) {
          await sleep(MIN_EMPTY_POLL_MS - (Date.now() - started), signal);
        }
      }
    } catch (error) {
      if (!isAbort(error)) this.end(signal, networkFailure(error));
    }
  }

  private async poll(channels: readonly string[], signal: AbortSignal): Promise<'events' | 'empty' | 'stop'> {
    const since = this.ctx.positions.sharedSince(channels);
    const request = withTimeout(signal, this.ctx.stallTimeoutMs);
    let response: Response;
    let answer: PollAnswer | null;
    try {
      response = await this.ctx.fetch(realtimeUrl(this.ctx, '/realtime/poll', channels, since), {
        headers: authHeaders(this.ctx, 'application/json'),
        cache: 'no-store',
        signal: request.signal,
      });
      answer = response.ok ? await pollAnswer(response) : null;
    } catch (error) {
      if (signal.aborted) throw error;
      this.end(signal, request.timedOut() ? { code: 1006, reason: 'the poll stalled' } : networkFailure(error));
      return 'stop';
    } finally {
      request.dispose();
    }
    if (!response.ok) {
      this.end(signal, await refusal(response));
      return 'stop';
    }
    if (!answer) {
      this.end(signal, { code: 1006, reason: 'long-poll answer is not {events, position}' });
      return 'stop';
    }
    if (signal.aborted) return 'stop';
    for (const event of answer.events) this.listener.frame(event);
    this.listener.advanced(channels, answer.position, answer.recovered);
    return answer.events.length > 0 ? 'events' : 'empty';
  }

  private establish(): void {
    if (this.established) return;
    this.established = true;
    this.listener.established();
  }

  private end(signal: AbortSignal, close: TransportClose): void {
    if (this.closed || signal.aborted) return;
    this.close();
    this.listener.closed(close);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
