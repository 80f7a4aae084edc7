import { describe, expect, it } from 'vitest';
import { Positions } from '../src/positions.js';

describe('positions per channel', () => {
  it('accepts only positions above the one held, per channel', () => {
    const positions = new Positions();
    expect(positions.accept('empresa:e', 10)).toBe(true);
    expect(positions.accept('empresa:e', 10)).toBe(false);
    expect(positions.accept('empresa:e', 7)).toBe(false);
    expect(positions.accept('conversa:c', 7)).toBe(true);
    expect(positions.accept('empresa:e', 12)).toBe(true);
    expect(positions.toJSON()).toEqual({ 'empresa:e': 12, 'conversa:c': 7 });
  });

  it('advances on subscribed but never moves back, unless the server restarts the channel', () => {
    const positions = new Positions();
    positions.advance('empresa:e', 20);
    positions.advance('empresa:e', 15);
    expect(positions.get('empresa:e')).toBe(20);
    positions.restart('empresa:e', 3);
    expect(positions.get('empresa:e')).toBe(3);
    expect(positions.accept('empresa:e', 4)).toBe(true);
  });

  it('shares the lowest position as the since of SSE and long-poll', () => {
    const positions = new Positions();
    expect(positions.sharedSince(['a:1', 'b:2'])).toBeUndefined();
    positions.advance('a:1', 40);
    positions.advance('b:2', 25);
    expect(positions.sharedSince(['a:1', 'b:2', 'c:3'])).toBe(25);
    positions.forget('b:2');
    expect(positions.sharedSince(['a:1', 'b:2'])).toBe(40);
  });
});
