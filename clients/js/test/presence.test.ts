import { describe, expect, it } from 'vitest';
import { PresenceStore } from '../src/presence.js';
import type { PresenceUpdateData } from '../src/protocol/events.js';

const update = (userId: string, online: boolean, version: number, status = 'disponivel'): PresenceUpdateData => ({
  userId, name: userId.toUpperCase(), online, status: status as PresenceUpdateData['status'], sessions: online ? 1 : 0,
  since: online ? '2026-11-26T10:00:00Z' : null, version, ts: '2026-11-26T10:00:00Z',
});

describe('presence store', () => {
  it('starts from the snapshot and applies only updates with a greater version', () => {
    const store = new PresenceStore('emp-1');
    const seen: number[] = [];
    store.subscribe((state) => seen.push(state.version ?? -1));
    store.applySnapshot({ empresaId: 'emp-1', online: [{ userId: 'u-2', name: 'B', status: 'ausente', since: 't' }], count: 1, version: 17, ts: 't' });
    // already in the snapshot: the update of version 17 (and anything older) changes nothing
    expect(store.applyUpdate(update('u-9', true, 16))).toBe(false);
    expect(store.applyUpdate(update('u-9', true, 17))).toBe(false);
    expect(store.isOnline('u-9')).toBe(false);
    expect(store.applyUpdate(update('u-1', true, 18))).toBe(true);
    expect(store.onlineUsers.map((u) => u.userId)).toEqual(['u-1', 'u-2']);
    expect(store.applyUpdate(update('u-2', false, 19))).toBe(true);
    expect(store.applyUpdate(update('u-2', true, 19))).toBe(false);
    expect(store.get()).toMatchObject({ count: 1, version: 19 });
    expect(store.isOnline('u-2')).toBe(false);
    expect(seen).toEqual([17, 18, 19]);
  });

  it('changes a status in place and replaces the list on a new snapshot', () => {
    const store = new PresenceStore('emp-1');
    store.applyUpdate(update('u-1', true, 1));
    store.applyUpdate(update('u-1', true, 2, 'ocupado'));
    expect(store.onlineUsers).toEqual([{ userId: 'u-1', name: 'U-1', status: 'ocupado', since: '2026-11-26T10:00:00Z' }]);
    store.applySnapshot({ empresaId: 'emp-1', online: [], count: 0, version: 0, ts: null });
    expect(store.get()).toMatchObject({ onlineUsers: [], count: 0, version: 0 });
  });
});
