/** Token refresh before `exp` through the app's callback (docs/protocol.md "Token", `refresh`). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeClaims } from '../src/token.js';
import { jwt, makeClient, settle } from './fakes.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('token refresh', () => {
  it('asks the callback a minute before the session expires and sends a refresh frame', async () => {
    let n = 0;
    const provider = vi.fn(() => jwt({ n: ++n }));
    const { client, sockets } = makeClient({ token: provider });
    client.connect();
    await settle();
    const socket = sockets.last().accept({ expiresAt: inMinutes(10) });
    expect(provider.mock.calls).toEqual([['connect']]);
    await vi.advanceTimersByTimeAsync(9 * 60_000 - 1);
    expect(socket.framesOf('refresh')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(provider).toHaveBeenLastCalledWith('refresh');
    expect(socket.framesOf('refresh')).toEqual([{ type: 'refresh', token: jwt({ n: 2 }) }]);
    // the server's new expiry plans the next refresh
    socket.receive({ type: 'refreshed', expiresAt: inMinutes(30) });
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    await settle();
    expect(socket.framesOf('refresh')).toHaveLength(2);
    client.close();
  });

  it('refreshes a short-lived token at half its life, not in a loop', async () => {
    const provider = vi.fn(() => jwt());
    const { client, sockets } = makeClient({ token: provider });
    client.connect();
    await settle();
    const socket = sockets.last().accept({ expiresAt: new Date(Date.now() + 40_000).toISOString() });
    await vi.advanceTimersByTimeAsync(20_000);
    await settle();
    expect(socket.framesOf('refresh')).toHaveLength(1);
    socket.receive({ type: 'refreshed', expiresAt: new Date(Date.now() + 40_000).toISOString() });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(socket.framesOf('refresh')).toHaveLength(1);
    client.close();
  });

  it('tries again shortly after refresh_refused, and reports the error', async () => {
    const provider = vi.fn(() => jwt());
    const { client, sockets } = makeClient({ token: provider });
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    client.connect();
    await settle();
    const socket = sockets.last().accept({ expiresAt: inMinutes(2) });
    await vi.advanceTimersByTimeAsync(60_000);
    await settle();
    socket.receive({ type: 'error', code: 'refresh_refused', message: 'token of another sub' });
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(socket.framesOf('refresh')).toHaveLength(2);
    client.close();
  });

  it('gets a fresh token before connecting when the one held is about to expire', async () => {
    const provider = vi.fn((reason: string) => (reason === 'connect' ? jwt({ exp: Math.floor(Date.now() / 1000) + 30 }) : jwt({ fresh: true })));
    const { client, sockets } = makeClient({ token: provider });
    client.connect();
    await settle();
    sockets.last().fail();
    await vi.advanceTimersByTimeAsync(500);
    await settle();
    expect(provider.mock.calls.map((c) => c[0])).toEqual(['connect', 'refresh']);
    expect(sockets.last().protocols[1]).toBe(`bearer.${jwt({ fresh: true })}`);
    client.close();
  });

  it('reads the claims of a JWT, and nothing from a token that is not one', () => {
    expect(decodeClaims(jwt({ name: 'Zé Açaí' }))).toMatchObject({ sub: 'user-1', empresaId: 'emp-1', name: 'Zé Açaí' });
    expect(decodeClaims('opaque')).toBeNull();
    expect(decodeClaims('a.%%%.c')).toBeNull();
  });
});
