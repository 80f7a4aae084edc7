/**
 * Who is signed in: the agent JWT pasted (or a demo user's), kept in the tab's sessionStorage so a reload stays
 * signed in and closing the tab signs out. The claims are read, not verified: the gateway verifies every use.
 */
import { decodeClaims, type TokenClaims } from '@chat-central/client';

export interface Session {
  token: string;
  claims: TokenClaims & { sub: string; empresaId: string };
}

const KEY = 'chat-central.console.token';

/** The session of `token`, or why it cannot be used. */
export function sessionOf(token: string, now = Date.now()): Session | { error: string } {
  const trimmed = token.trim();
  const claims = decodeClaims(trimmed);
  if (!claims || typeof claims.sub !== 'string' || typeof claims.empresaId !== 'string') {
    return { error: 'Token inválido: não é um JWT de atendente (faltam sub ou empresaId).' };
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) return { error: 'Token expirado: gere um novo.' };
  return { token: trimmed, claims: claims as Session['claims'] };
}

export function storedSession(storage: Storage | undefined): Session | null {
  const token = storage?.getItem(KEY);
  if (!token) return null;
  const session = sessionOf(token);
  return 'error' in session ? null : session;
}

export function keepSession(storage: Storage | undefined, session: Session | null): void {
  if (session) storage?.setItem(KEY, session.token);
  else storage?.removeItem(KEY);
}

export function isSupervisor(session: Session): boolean {
  return (session.claims.roles ?? []).some((role) => role === 'supervisor' || role === 'admin');
}

export function displayName(session: Session): string {
  return session.claims.name ?? session.claims.sub;
}
