/** What the SSE and long-poll transports share: URLs, refusals, and positioning new channels. */
import type { TransportClose, TransportContext, TransportListener } from './types.js';

/** `path` under the gateway's base URL (which may have a path prefix of its own). */
export function endpoint(base: URL, path: string): URL {
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
  return new URL(path.replace(/^\//, ''), root);
}

export function realtimeUrl(ctx: TransportContext, path: string, channels: readonly string[], since: number | undefined): string {
  const url = endpoint(ctx.baseUrl, path);
  for (const channel of channels) url.searchParams.append('channel', channel);
  if (since !== undefined) url.searchParams.set('since', String(since));
  return url.href;
}

/** The token goes in the header, not `?token=`, so it stays out of access logs (fetch can set headers). */
export function authHeaders(ctx: TransportContext, accept: string): Record<string, string> {
  return { Authorization: `Bearer ${ctx.token()}`, Accept: accept };
}

/** A refused request as a close: its status, and what its JSON body `{error, reason, channel?}` says. */
export async function refusal(response: Response): Promise<TransportClose> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // no JSON body (a 403 for the origin, a proxy's page): the status says enough
  }
  const close: TransportClose = {
    code: 1006,
    reason: typeof body.reason === 'string' ? body.reason : `HTTP ${response.status}`,
    status: response.status,
  };
  if (typeof body.error === 'string') close.error = body.error;
  if (typeof body.channel === 'string') close.channel = body.channel;
  const retryAfter = Number(response.headers.get('Retry-After'));
  if (retryAfter > 0) close.retryAfterMs = retryAfter * 1000;
  return close;
}

export function networkFailure(error: unknown): TransportClose {
  return { code: 1006, reason: error instanceof Error ? error.message : String(error) };
}

/**
 * A long-poll without `since` for `channels`, to position those of them that have no position yet, before a request that names one `since` for all: a long-poll without `since`
 * answers at once with the current position (and a presence snapshot for `presence:` channels), which becomes the
 * position of those channels. Without it, a channel added to others that have positions would have no snapshot,
 * or a `since` shared with the others would replay old events for it. A refused or failed request is
 * returned as the close it means; an abort rejects.
 */
export async function primeChannels(
  ctx: TransportContext,
  listener: TransportListener,
  channels: readonly string[],
  signal: AbortSignal,
): Promise<{ ok: true } | { ok: false; close: TransportClose }> {
  const fresh = channels.filter((c) => ctx.positions.get(c) === undefined);
  const response = await ctx.fetch(realtimeUrl(ctx, '/realtime/poll', channels, undefined), {
    headers: authHeaders(ctx, 'application/json'),
    cache: 'no-store',
    signal,
  });
  if (!response.ok) return { ok: false, close: await refusal(response) };
  const answer = await pollAnswer(response);
  if (!answer) return { ok: false, close: { code: 1006, reason: 'long-poll answer is not {events, position}' } };
  for (const event of answer.events) listener.frame(event);
  // channels that had a position keep it: their missed events are still to be replayed
  listener.advanced(fresh, answer.position, undefined);
  return { ok: true };
}

export interface PollAnswer {
  events: unknown[];
  position: number;
  recovered?: boolean;
}

/** The body of a long-poll answer, or null when it is not one. */
export async function pollAnswer(response: Response): Promise<PollAnswer | null> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { events, position, recovered } = body as Record<string, unknown>;
  if (!Array.isArray(events) || typeof position !== 'number' || !Number.isSafeInteger(position)) return null;
  return typeof recovered === 'boolean' ? { events, position, recovered } : { events, position };
}

/** A signal that aborts with `signal` or after `ms`; `dispose()` stops the clock once the request is done. */
export function withTimeout(signal: AbortSignal, ms: number): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  const forward = () => controller.abort();
  signal.addEventListener('abort', forward, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    },
  };
}

export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
