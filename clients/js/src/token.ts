/**
 * The agent JWT: where it comes from, and when it needs replacing. The app supplies either a fixed token or a
 * callback; only a callback lets the client refresh before `exp` and come back after a 4001 (token expired).
 * The client reads the token's claims (without checking the signature, which is the server's job) to know its
 * user for the default `atendente:` channel and its expiry for long-poll, where no `connected` frame says it.
 */

/** Why the client asks for a token: the first connection, a refresh before `exp`, or after the server said it expired. */
export type TokenReason = 'connect' | 'refresh' | 'expired';

export type TokenProvider = (reason: TokenReason) => string | Promise<string>;

export interface TokenClaims {
  sub?: string;
  empresaId?: string;
  name?: string;
  roles?: string[];
  /** seconds since the epoch */
  exp?: number;
}

/** The claims of a JWT, or null when it is not one (no signature check). */
export function decodeClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

export class TokenKeeper {
  private token: string | undefined;
  private decoded: TokenClaims | null = null;
  private serverExpiry: number | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly source: string | TokenProvider) {
    if (typeof source === 'string') this.use(source);
  }

  /** Whether a new token can be had at all (a callback was given). */
  get renewable(): boolean {
    return typeof this.source === 'function';
  }

  get current(): string | undefined {
    return this.token;
  }

  get userId(): string | undefined {
    return this.decoded?.sub;
  }

  /** The claims of the token in use, as it says them (unverified); null when it is not a JWT. */
  get claims(): TokenClaims | null {
    return this.decoded;
  }

  /** Epoch ms when the token in use expires: the server's word (`connected`, `refreshed`) or else its `exp`. */
  get expiresAt(): number | undefined {
    if (this.serverExpiry !== undefined) return this.serverExpiry;
    return this.decoded?.exp === undefined ? undefined : this.decoded.exp * 1000;
  }

  /** The server said when the session's token expires. */
  serverSaysExpires(iso: string): void {
    const at = Date.parse(iso);
    if (!Number.isNaN(at)) this.serverExpiry = at;
  }

  /**
   * A token for `reason`. The callback is asked once even if several parts of the client need a token at the same
   * moment; a fixed token is returned as it is (for `connect`), and refusing anything else makes the client stop
   * rather than reconnect in a loop with a token the server already refused.
   */
  obtain(reason: TokenReason): Promise<string> {
    if (typeof this.source === 'string') {
      return reason === 'connect' ? Promise.resolve(this.source) : Promise.reject(new Error('the token cannot be renewed: pass a token callback'));
    }
    if (reason === 'connect' && this.token !== undefined && !this.expiresWithin(0)) return Promise.resolve(this.token);
    const provider = this.source;
    this.pending ??= Promise.resolve()
      .then(() => provider(reason))
      .then((token) => {
        if (typeof token !== 'string' || token.length === 0) throw new Error('the token callback returned no token');
        this.use(token);
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Whether the token in use expires within `ms` from now (unknown expiry: never). */
  expiresWithin(ms: number): boolean {
    const at = this.expiresAt;
    return at !== undefined && at - Date.now() <= ms;
  }

  private use(token: string): void {
    this.token = token;
    this.decoded = decodeClaims(token);
    this.serverExpiry = undefined;
  }
}
