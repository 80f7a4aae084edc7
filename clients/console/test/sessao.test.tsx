/** Signing in: by pasting a token, or by picking a demo user from config.json (dev profile). */
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/sessao/config';
import { CONFIG, EMPRESA, advance, json, jwt, renderConsole, settle } from './support';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('sign-in', () => {
  it('signs in with a pasted token and connects with it', async () => {
    const ui = renderConsole({ token: null });
    expect(screen.queryByTestId('demo-user')).toBeNull();
    const token = jwt({ name: 'Ana' });
    fireEvent.change(screen.getByTestId('token-input'), { target: { value: `  ${token}\n` } });
    fireEvent.click(screen.getByTestId('sign-in'));
    const socket = await ui.connect();
    expect(socket.protocols).toContain(`bearer.${token}`);
    expect(screen.getByTestId('current-user').textContent).toBe('Ana');
    expect(screen.getByTestId('connection-banner').textContent).toBe('Conectado');
  });

  it('refuses what is not an agent token, and an expired one', () => {
    renderConsole({ token: null });
    fireEvent.change(screen.getByTestId('token-input'), { target: { value: 'not a jwt' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    expect(screen.getByRole('alert').textContent).toContain('Token inválido');
    fireEvent.change(screen.getByTestId('token-input'), { target: { value: jwt({ exp: Math.floor(Date.now() / 1000) - 10 }) } });
    fireEvent.click(screen.getByTestId('sign-in'));
    expect(screen.getByRole('alert').textContent).toContain('Token expirado');
  });

  it('offers the demo users of the dev profile, and signs out', async () => {
    const demoUsers = [
      { name: 'Ana', role: 'atendente', empresaId: EMPRESA, token: jwt({ name: 'Ana' }) },
      { name: 'Sônia', role: 'supervisor', empresaId: EMPRESA, token: jwt({ sub: 'u-9', name: 'Sônia', roles: ['supervisor'] }) },
    ];
    const ui = renderConsole({ token: null, config: { ...CONFIG, demoUsers } });
    expect(screen.getAllByTestId('demo-user').map((b) => b.textContent)).toEqual([`Ana · atendente · ${EMPRESA}`, `Sônia · supervisor · ${EMPRESA}`]);
    fireEvent.click(screen.getAllByTestId('demo-user')[1]!);
    const socket = await ui.connect();
    expect(screen.getByTestId('current-user').textContent).toBe('Sônia');
    expect(screen.getByTestId('nav-fila')).toBeTruthy();
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(socket.closedByClient).not.toBeNull();
    expect(screen.getByTestId('token-input')).toBeTruthy();
  });

  it('reads config.json: the gateway URL, and demo users only when present', async () => {
    const answer = (body: unknown) => vi.fn(async () => json(body)) as unknown as typeof fetch;
    await expect(loadConfig('/console/config.json', answer({ gatewayUrl: 'https://gw.test' }))).resolves.toEqual({ gatewayUrl: 'https://gw.test' });
    const demoUsers = [{ name: 'Ana', role: 'atendente', empresaId: EMPRESA, token: 't' }];
    await expect(loadConfig('/console/config.json', answer({ gatewayUrl: '', demoUsers }))).resolves.toEqual({ gatewayUrl: '', demoUsers });
    const missing = vi.fn(async () => json({}, 404)) as unknown as typeof fetch;
    await expect(loadConfig('/console/config.json', missing)).rejects.toThrow('HTTP 404');
  });
});

describe('starting over after the client gave up', () => {
  /** A client with one transport and one attempt: it gives up on the second failed connection. */
  async function givenUp(ui: ReturnType<typeof renderConsole>) {
    await act(settle);
    act(() => ui.sockets.last().fail());
    await advance(500);
    await act(settle);
    act(() => ui.sockets.last().fail());
    await act(settle);
  }
  const oneAttempt = { transports: ['websocket'], reconnect: { maxAttempts: 1 } } as const;

  it('tries again every 15 s while the gateway is unreachable, and connects once it is back', async () => {
    const ui = renderConsole({ clientOptions: oneAttempt });
    await givenUp(ui);
    const banner = screen.getByTestId('connection-banner');
    expect(banner.dataset.state).toBe('failed');
    expect(banner.textContent).toContain('Nova tentativa em 15 s');
    await advance(14_999);
    expect(ui.sockets.sockets).toHaveLength(2);
    await advance(1);
    await ui.connect();
    expect(ui.sockets.sockets).toHaveLength(3);
    expect(banner.dataset.state).toBe('connected');
  });

  it('does not try again after a refusal that would only repeat', async () => {
    const ui = renderConsole({ clientOptions: oneAttempt });
    const socket = await ui.connect();
    act(() => socket.serverClose(1003, 'binary frame'));
    expect(screen.getByTestId('connection-banner').dataset.state).toBe('failed');
    expect(screen.getByTestId('connection-banner').textContent).not.toContain('Nova tentativa');
    await advance(120_000);
    expect(ui.sockets.sockets).toHaveLength(1);
  });
});
