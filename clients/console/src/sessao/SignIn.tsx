import { useState } from 'react';
import type { DemoUser } from './config';
import { sessionOf, type Session } from './session';

const ROLE_LABELS: Record<string, string> = { atendente: 'atendente', supervisor: 'supervisor', admin: 'administrador' };

/** Sign in by pasting an agent JWT, or (dev profile) by picking a demo user. */
export function SignIn({ demoUsers, onSignIn }: { demoUsers: DemoUser[] | undefined; onSignIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const use = (value: string) => {
    const session = sessionOf(value);
    if ('error' in session) setError(session.error);
    else onSignIn(session);
  };
  return (
    <main className="sign-in">
      <h1>Console de atendimento</h1>
      {demoUsers && demoUsers.length > 0 && (
        <section>
          <h2>Usuários de demonstração</h2>
          <p className="hint">Perfil de desenvolvimento: escolha quem você quer ser.</p>
          <ul className="demo-users">
            {demoUsers.map((user) => (
              <li key={`${user.empresaId}/${user.name}`}>
                <button type="button" data-testid="demo-user" data-name={user.name} onClick={() => use(user.token)}>
                  <strong>{user.name}</strong> · {ROLE_LABELS[user.role] ?? user.role} · {user.empresaId}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>Entrar com um token</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            use(token);
          }}
        >
          <label htmlFor="token">Token JWT do atendente</label>
          <textarea id="token" data-testid="token-input" rows={4} value={token} onChange={(e) => setToken(e.target.value)} />
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" data-testid="sign-in" disabled={token.trim() === ''}>
            Entrar
          </button>
        </form>
      </section>
    </main>
  );
}
