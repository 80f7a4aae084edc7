import { execFile } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, type Browser, type BrowserContext, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Where the stack under test is: bin/stack's defaults unless the environment says otherwise. */
export const stack = {
  consoleUrl: process.env.CONSOLE_URL ?? 'http://localhost:8080/console/',
  simulatorUrl: process.env.SIMULATOR_URL ?? 'http://localhost:8090',
  /** the demo empresa the atendentes sign in to, and its WhatsApp instance in the simulator */
  empresaId: process.env.E2E_EMPRESA_ID ?? 'emp-demo-1',
  instance: process.env.E2E_INSTANCE ?? 'loja-aurora-01',
  /** the bound on a customer's message reaching the browsers, from the simulator's 200 */
  deliveryBoundMs: Number(process.env.E2E_DELIVERY_BOUND_MS ?? 1000),
};

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A token unique to this run, so the demo traffic and earlier runs never match what a scenario looks for. */
export function unique(label: string): string {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

/** A WhatsApp customer of the empresa's instance, played by the evolution-simulator. */
export class Customer {
  /** a number no demo customer has: a conversa of its own */
  readonly phone = `55119${randomInt(10_000_000, 99_999_999)}`;

  constructor(readonly name: string) {}

  /** Posts a message as Evolution would; resolves once the simulator answered 200 (the ingest took it). */
  async says(text: string): Promise<{ keyId: string; acceptedAt: number }> {
    const answer = await simulator(`/simulator/instances/${stack.instance}/messages`, {
      phone: this.phone,
      name: this.name,
      text,
    });
    return { keyId: String(answer.keyId), acceptedAt: Date.now() };
  }

  async typing(presence: 'composing' | 'paused'): Promise<void> {
    await simulator(`/simulator/instances/${stack.instance}/presence`, { phone: this.phone, presence });
  }
}

async function simulator(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(stack.simulatorUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, `simulator ${path} answered ${text}`).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The sendText calls the simulator received for the instance: the replies that reached "WhatsApp". */
export async function sendTextCalls(): Promise<{ number?: string; text?: string }[]> {
  const response = await fetch(`${stack.simulatorUrl}/simulator/instances/${stack.instance}/calls?kind=sendText`);
  expect(response.status).toBe(200);
  return (await response.json()) as { number?: string; text?: string }[];
}

/** `bin/stack --kill SERVICE` of the stack under test (CHATCENTRAL_DATA_DIR, when set, names it). */
export async function killService(service: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bin/stack', ['--kill', service], { cwd: repositoryRoot });
  return stdout;
}

/** An atendente signed in to the console in a browser context of their own. */
export class Atendente {
  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens the console in a new context and signs in as the demo user `name` of the empresa. */
  static async signIn(browser: Browser, name: string): Promise<Atendente> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.consoleUrl);
    await page.getByTestId('demo-user').filter({ hasText: stack.empresaId }).and(page.locator(`[data-name^="${name} ("]`)).click();
    const atendente = new Atendente(name, context, page);
    await expect(atendente.banner).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    return atendente;
  }

  get banner(): Locator {
    return this.page.getByTestId('connection-banner');
  }

  /** The item of the conversa whose last message (its preview) is `text`, in the list shown. */
  conversaItem(text: string): Locator {
    return this.page.getByTestId('conversa-item').filter({ hasText: text });
  }

  get view(): Locator {
    return this.page.getByTestId('conversa-view');
  }

  get mensagens(): Locator {
    return this.page.getByTestId('mensagem');
  }

  mensagem(text: string): Locator {
    return this.mensagens.filter({ hasText: text });
  }

  get atendenteShown(): Locator {
    return this.page.getByTestId('conversa-atendente');
  }

  get typing(): Locator {
    return this.page.getByTestId('typing-indicator');
  }

  /**
   * Opens the conversa with id `conversaId` from the list of its status, and waits for its mensagens, as a person
   * would before acting: they come from PostgreSQL (or from its channel, which the gateway opens only for a conversa
   * in PostgreSQL), and a command on a conversa the sink has not written yet is refused as not found.
   */
  async open(conversaId: string, status: 'aguardando' | 'em_atendimento' = 'aguardando'): Promise<void> {
    await this.page.getByTestId(`status-tab-${status}`).click();
    await this.page.locator(`[data-testid="conversa-item"][data-conversa-id="${conversaId}"]`).click();
    await expect(this.view).toHaveAttribute('data-conversa-id', conversaId);
    await expect(this.mensagens.first()).toBeVisible();
  }

  async assign(): Promise<void> {
    await this.page.getByTestId('assign-button').click();
    await expect(this.atendenteShown).toHaveText(this.name);
  }

  /** Writes `text` in the reply box and sends it with Enter. */
  async reply(text: string): Promise<void> {
    await this.page.getByTestId('reply-box').fill(text);
    await this.page.getByTestId('reply-box').press('Enter');
  }

  /** The mensagem ids shown, in order; each must be there once. */
  async mensagemIds(): Promise<string[]> {
    return this.mensagens.evaluateAll((items) => items.map((item) => item.getAttribute('data-mensagem-id') ?? ''));
  }

  /** A screenshot kept as `<name>.png` in the scenario's output directory. */
  async screenshot(testInfo: TestInfo, name: string): Promise<void> {
    await this.page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * Milliseconds from `since` (a Date.now() of this machine) until the page shows an element with data-testid `testId`
 * holding `text`, timed by the page itself, checking at each animation frame: two pages resolving here at once still
 * get each its own figure.
 */
export async function shownAfter(page: Page, testId: string, text: string, since: number): Promise<number> {
  const shownAt = await page.waitForFunction(
    ([id, wanted]) =>
      Array.from(document.querySelectorAll(`[data-testid="${id}"]`)).some((element) => element.textContent?.includes(wanted))
        ? Date.now()
        : false,
    [testId, text] as const,
    { timeout: 15_000 },
  );
  return Number(await shownAt.jsonValue()) - since;
}
