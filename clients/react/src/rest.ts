/**
 * The gateway's REST API (docs/rest.md) with the session's token: what the realtime channels do not carry (lists,
 * history, queue figures). A 401 asks the token callback for a new token (`'expired'`) and tries once more.
 */
import type { TokenProvider } from '@chat-central/client';

export interface RestClientOptions {
  /** the gateway's base URL; `/api/v1/*` is under it */
  url: string | URL;
  token: string | TokenProvider;
  fetch?: typeof fetch;
}

/** A refusal of the API: its status and `{error, reason}` body (docs/rest.md "Errors"). */
export class RestError extends Error {
  override readonly name = 'RestError';

  constructor(
    readonly status: number,
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

export type Query = Record<string, string | number | null | undefined>;

export class RestClient {
  private readonly baseUrl: URL;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: RestClientOptions) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    this.baseUrl = new URL(options.url, base);
    if (this.baseUrl.protocol === 'ws:') this.baseUrl.protocol = 'http:';
    if (this.baseUrl.protocol === 'wss:') this.baseUrl.protocol = 'https:';
    const fetchFn = options.fetch ?? globalThis.fetch;
    this.fetchFn = fetchFn.bind(globalThis);
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, {}, body);
  }

  /** The URL of `path` under the gateway, keeping a path prefix of the base URL. */
  url(path: string, query: Query = {}): URL {
    const url = new URL(this.baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
    url.search = '';
    for (const [name, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    return url;
  }

  private async request<T>(method: string, path: string, query: Query, body?: unknown): Promise<T> {
    const send = async (token: string) =>
      this.fetchFn(this.url(path, query).href, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        cache: 'no-store',
      });
    let response = await send(await this.token('connect'));
    if (response.status === 401 && typeof this.options.token === 'function') response = await send(await this.token('expired'));
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // a body that is not JSON: the status decides
    }
    if (!response.ok) {
      const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { error?: unknown; reason?: unknown };
      throw new RestError(
        response.status,
        typeof answer.error === 'string' ? answer.error : `http_${response.status}`,
        typeof answer.reason === 'string' ? answer.reason : `HTTP ${response.status}`,
      );
    }
    return parsed as T;
  }

  private async token(reason: 'connect' | 'expired'): Promise<string> {
    const token = this.options.token;
    return typeof token === 'function' ? token(reason) : token;
  }
}
