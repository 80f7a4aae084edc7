/**
 * Reconnection delays: exponential backoff with full jitter (a delay drawn uniformly between 0 and the cap), so
 * the clients of a node that restarts do not all come back at the same instant. Defaults are the seed's
 * (`RECONNECT_MAX_ATTEMPTS` 5, 1 s base, factor 2, at most 30 s).
 */
export interface BackoffOptions {
  /** reconnection attempts on one transport before falling back to the next one (default 5) */
  maxAttempts: number;
  /** cap of the first delay, in ms (default 1000) */
  baseDelayMs: number;
  /** growth of the cap per attempt (default 2) */
  factor: number;
  /** no cap grows beyond this, in ms (default 30000) */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  factor: 2,
  maxDelayMs: 30_000,
};

/** The largest delay before reconnection attempt `attempt` (0-based): `min(max, base * factor^attempt)`. */
export function backoffCap(attempt: number, options: BackoffOptions): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * Math.pow(options.factor, attempt));
}

/** Full jitter: uniform in [0, cap). `random` is `Math.random` unless a test fixes it. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  return Math.floor(random() * backoffCap(attempt, options));
}
