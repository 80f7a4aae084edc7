import { io } from 'socket.io-client';
import { createRelay } from '../server.mjs';

export const SECRET = 'test-only-agent-jwt-secret-0123456789-abcdef';

export async function startRelay(options = {}) {
  const relay = createRelay({ secret: SECRET, ...options });
  const port = await relay.listen(0);
  return { relay, port, url: `http://127.0.0.1:${port}` };
}

/** Resolves {socket} once connected, or {refusal, data} on connect_error or a transport closed before connect. */
export function connect(url, token) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      if (!result.socket) socket.close();
      resolve(result);
    };
    const socket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false, timeout: 5000 });
    socket.once('connect', () => settle({ socket }));
    socket.once('connect_error', (e) => settle({ refusal: e.message, data: e.data }));
    socket.io.once('close', (reason) => setImmediate(() => settle({ refusal: reason })));
  });
}

export function post(url, body, contentType = 'application/json') {
  return fetch(new URL('/publish', url), { method: 'POST', headers: { 'Content-Type': contentType }, body })
    .then(async (response) => ({ status: response.status, body: await response.json() }));
}

export function realtimeEvent(empresaId, id, extra = {}) {
  return {
    id, empresaId, type: 'message_notification', channels: [`empresa:${empresaId}`], data: { text: 'oi' },
    ts: new Date().toISOString(), ...extra,
  };
}
