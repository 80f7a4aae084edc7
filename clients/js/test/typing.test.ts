import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TYPING, TypingIndicator, TypingUsers } from '../src/typing.js';
import type { RealtimeEventOf } from '../src/protocol/events.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('typing indicator (out)', () => {
  it('sends one start, and a stop 3 s after the last keystroke', () => {
    const sent: boolean[] = [];
    const indicator = new TypingIndicator((typing) => sent.push(typing), DEFAULT_TYPING);
    indicator.keystroke();
    vi.advanceTimersByTime(1000);
    indicator.keystroke();
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
    expect(indicator.isTyping).toBe(false);
  });

  it('repeats the start every 5 s while typing goes on, so the server does not end it after 10 s', () => {
    const sent: boolean[] = [];
    const indicator = new TypingIndicator((typing) => sent.push(typing), DEFAULT_TYPING);
    for (let t = 0; t <= 12_000; t += 500) {
      indicator.keystroke();
      vi.advanceTimersByTime(500);
    }
    expect(sent).toEqual([true, true, true]);
    indicator.stop();
    indicator.stop();
    expect(sent).toEqual([true, true, true, false]);
  });
});

describe('typing users (in)', () => {
  const event = (type: 'typing_start' | 'typing_stop', userId: string, ts: string | null = null): RealtimeEventOf<'typing_start'> =>
    ({ type, channel: 'conversa:c', id: `${userId}-${type}`, position: 1, ts, data: { conversaId: 'c', who: 'atendente', userId, name: userId } }) as RealtimeEventOf<'typing_start'>;

  it('drops someone 10 s after their last start without news', () => {
    const users = new TypingUsers(DEFAULT_TYPING.expireAfterMs, () => 'me');
    users.apply(event('typing_start', 'ana'));
    vi.advanceTimersByTime(6000);
    users.apply(event('typing_start', 'ana'));
    vi.advanceTimersByTime(9999);
    expect(users.get().map((u) => u.userId)).toEqual(['ana']);
    vi.advanceTimersByTime(1);
    expect(users.get()).toEqual([]);
  });

  it('removes on stop, ignores the user themself, and ignores a replayed start that is already old', () => {
    const users = new TypingUsers(DEFAULT_TYPING.expireAfterMs, () => 'me');
    users.apply(event('typing_start', 'me'));
    users.apply(event('typing_start', 'bia'));
    users.apply(event('typing_start', 'caio', '2026-11-26T09:59:45Z'));
    expect(users.get().map((u) => u.userId)).toEqual(['bia']);
    users.apply(event('typing_stop', 'bia'));
    expect(users.get()).toEqual([]);
  });

  it('tells the customer apart by jid', () => {
    const users = new TypingUsers(10_000, () => 'me');
    users.apply({ type: 'typing_start', channel: 'conversa:c', id: 'x', position: 2, ts: null, data: { conversaId: 'c', who: 'cliente', jid: '5511@s.whatsapp.net', presence: 'composing' } });
    expect(users.get()).toEqual([expect.objectContaining({ key: 'cliente:5511@s.whatsapp.net', who: 'cliente' })]);
  });
});
