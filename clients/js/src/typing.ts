/**
 * Typing, both ways (the seed's "Debounce para Typing Indicators" and "Cleanup Automático").
 *
 * Out: `TypingIndicator` turns keystrokes into `typing_start` once, then `typing_stop` after `stopAfterMs` (3 s)
 * without a keystroke. While the atendente keeps typing it repeats `typing_start` every `repeatMs` (5 s), because
 * the server ends a typing episode `TYPING_TIMEOUT` (10 s) after the last start it received.
 *
 * In: `TypingUsers` holds who is typing in one conversa from `typing_start`/`typing_stop` events and drops an
 * entry `expireAfterMs` (10 s) after its last start without news, so a lost stop cannot leave "Ana está digitando"
 * on screen forever.
 */
import { Value, type Listener, type Observable, type Unsubscribe } from './emitter.js';
import type { RealtimeEventOf, TypingData } from './protocol/events.js';

export interface TypingOptions {
  /** send `typing_stop` after this long without a keystroke (default 3000 ms) */
  stopAfterMs: number;
  /** repeat `typing_start` this often while typing goes on (default 5000 ms, below the server's 10 s) */
  repeatMs: number;
  /** forget someone typing after this long without a start or stop (default 10000 ms) */
  expireAfterMs: number;
}

export const DEFAULT_TYPING: TypingOptions = { stopAfterMs: 3000, repeatMs: 5000, expireAfterMs: 10_000 };

export interface TypingUser {
  /** `atendente:<userId>` or `cliente:<jid>`: one entry per person */
  key: string;
  who: 'atendente' | 'cliente';
  /** the atendente's user id; absent for the customer */
  userId?: string;
  /** the customer's WhatsApp address; absent for an atendente */
  jid?: string;
  name: string | null;
  /** epoch ms after which the entry is dropped unless a new start arrives */
  expiresAt: number;
}

type TypingEvent = RealtimeEventOf<'typing_start'> | RealtimeEventOf<'typing_stop'>;

export class TypingUsers implements Observable<readonly TypingUser[]> {
  private readonly value: Value<readonly TypingUser[]>;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** @param selfUserId the connected user: their own typing, echoed on the conversa channel, is not listed */
  constructor(
    private readonly expireAfterMs: number,
    private readonly selfUserId: () => string | undefined,
    onListenerError?: (error: unknown) => void,
  ) {
    this.value = new Value<readonly TypingUser[]>([], onListenerError);
  }

  readonly get = (): readonly TypingUser[] => this.value.get();

  readonly subscribe = (listener: Listener<readonly TypingUser[]>): Unsubscribe => this.value.subscribe(listener);

  apply(event: TypingEvent): void {
    const data: TypingData = event.data;
    if (data.who === 'atendente' && data.userId === this.selfUserId()) return;
    const key = data.who === 'atendente' ? `atendente:${data.userId}` : `cliente:${data.jid}`;
    if (event.type === 'typing_stop') {
      this.remove(key);
      return;
    }
    // A replayed start (after a reconnect) may be old: count from when it happened, not from when it arrived.
    const now = Date.now();
    const happened = event.ts === null ? now : Math.min(now, Date.parse(event.ts) || now);
    const expiresAt = happened + this.expireAfterMs;
    if (expiresAt <= now) {
      this.remove(key);
      return;
    }
    const user: TypingUser =
      data.who === 'atendente'
        ? { key, who: 'atendente', userId: data.userId, name: data.name, expiresAt }
        : { key, who: 'cliente', jid: data.jid, name: null, expiresAt };
    this.value.set([...this.value.get().filter((u) => u.key !== key), user]);
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.remove(key), expiresAt - now));
  }

  /** Forget everyone (the conversa is left, or its events can no longer be trusted to stop). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.value.get().length > 0) this.value.set([]);
  }

  private remove(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const current = this.value.get();
    if (current.some((u) => u.key === key)) this.value.set(current.filter((u) => u.key !== key));
  }
}

export class TypingIndicator {
  private typing = false;
  private lastStartAt = 0;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  /** @param send sends `typing_start` (true) or `typing_stop` (false) for the conversa */
  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly options: Pick<TypingOptions, 'stopAfterMs' | 'repeatMs'>,
  ) {}

  get isTyping(): boolean {
    return this.typing;
  }

  /** Call on every keystroke: starts typing if needed and pushes the automatic stop back. */
  keystroke(): void {
    const now = Date.now();
    if (!this.typing || now - this.lastStartAt >= this.options.repeatMs) {
      this.typing = true;
      this.lastStartAt = now;
      this.send(true);
    }
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.stop(), this.options.stopAfterMs);
  }

  /** Stop now (message sent, conversa left); nothing is sent when not typing. */
  stop(): void {
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}
