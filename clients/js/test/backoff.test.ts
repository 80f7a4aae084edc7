import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffCap, backoffDelay } from '../src/connection/backoff.js';

describe('backoff with full jitter', () => {
  it('has the seed defaults: 5 attempts, 1 s base, factor 2, at most 30 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 30_000 });
  });

  it('caps attempt n at min(30 s, 1 s * 2^n)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffCap(n, DEFAULT_BACKOFF))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('draws every delay uniformly below its cap', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cap = backoffCap(attempt, DEFAULT_BACKOFF);
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0)).toBe(0);
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.5)).toBe(cap / 2);
      expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999_999)).toBeLessThan(cap);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF, Math.random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(cap);
      }
    }
  });
});
