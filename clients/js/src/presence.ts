/**
 * Who is online in one empresa (docs/protocol.md "Presence"). A `presence_snapshot` gives the list and its
 * version; a `presence_update` is applied only when its version is greater than the one held, then held. The
 * snapshot may already contain a few updates that still arrive after it, and a replay after a reconnect repeats
 * updates: the version check makes both harmless, so nothing is applied twice and nothing is missed.
 */
import { Value, type Listener, type Observable, type Unsubscribe } from './emitter.js';
import type { PresenceStatus, PresenceUpdateData } from './protocol/events.js';
import type { OnlineUser, PresenceSnapshotData } from './protocol/frames.js';

export interface PresenceState {
  empresaId: string;
  /** ordered by userId */
  onlineUsers: readonly OnlineUser[];
  count: number;
  /** the empresa's presence version held; null before the first snapshot or update */
  version: number | null;
  /** when the last change happened, as the server says */
  ts: string | null;
}

export class PresenceStore implements Observable<PresenceState> {
  private readonly value: Value<PresenceState>;

  constructor(readonly empresaId: string, onListenerError?: (error: unknown) => void) {
    this.value = new Value<PresenceState>(
      { empresaId, onlineUsers: [], count: 0, version: null, ts: null },
      onListenerError,
    );
  }

  readonly get = (): PresenceState => this.value.get();

  readonly subscribe = (listener: Listener<PresenceState>): Unsubscribe => this.value.subscribe(listener);

  get onlineUsers(): readonly OnlineUser[] {
    return this.value.get().onlineUsers;
  }

  isOnline(userId: string): boolean {
    return this.value.get().onlineUsers.some((user) => user.userId === userId);
  }

  /**
   * The whole list, as the server holds it now. It replaces what we had whatever its version: it is sent only on
   * a fresh or unrecovered subscription, where the server's list is the truth (even after a reset of presence).
   */
  applySnapshot(data: PresenceSnapshotData): void {
    const onlineUsers = [...data.online].sort(byUserId);
    this.value.set({ empresaId: this.empresaId, onlineUsers, count: onlineUsers.length, version: data.version, ts: data.ts });
  }

  /** One change; false (and nothing changes) when its version is not above the one held. */
  applyUpdate(data: PresenceUpdateData): boolean {
    const state = this.value.get();
    if (state.version !== null && data.version <= state.version) return false;
    const others = state.onlineUsers.filter((user) => user.userId !== data.userId);
    const onlineUsers = data.online
      ? [...others, { userId: data.userId, name: data.name, status: data.status as PresenceStatus, since: data.since ?? data.ts }].sort(byUserId)
      : others;
    this.value.set({ empresaId: this.empresaId, onlineUsers, count: onlineUsers.length, version: data.version, ts: data.ts });
    return true;
  }
}

function byUserId(a: OnlineUser, b: OnlineUser): number {
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}
