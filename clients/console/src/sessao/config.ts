/**
 * `/console/config.json`, written by the gateway that serves the console (docs/rest.md): where the gateway is,
 * and in the dev profile the demo users one can sign in as without a token of one's own.
 */
export interface DemoUser {
  name: string;
  role: string;
  empresaId: string;
  token: string;
}

export interface ConsoleConfig {
  /** the gateway's base URL; empty: the origin the console was loaded from */
  gatewayUrl: string;
  /** present in the dev profile only */
  demoUsers?: DemoUser[];
}

export async function loadConfig(url: string, fetchFn: typeof fetch = fetch): Promise<ConsoleConfig> {
  const response = await fetchFn(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const raw = (await response.json()) as Partial<ConsoleConfig>;
  const config: ConsoleConfig = { gatewayUrl: typeof raw.gatewayUrl === 'string' ? raw.gatewayUrl : '' };
  if (Array.isArray(raw.demoUsers)) config.demoUsers = raw.demoUsers;
  return config;
}

export function gatewayUrl(config: ConsoleConfig): string {
  return config.gatewayUrl || globalThis.location.origin;
}
