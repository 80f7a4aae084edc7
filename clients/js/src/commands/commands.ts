/**
 * Atendentes' commands (docs/protocol.md "Commands"): a `command` frame over the WebSocket, `POST /api/v1/commands`
 * over SSE and long-poll, which cannot send frames. Each command gets its `commandId` once, when the app issues it,
 * and keeps it through every resend: after `unavailable`, after an answer that never came, after a reconnect, after
 * a reload (with the IndexedDB buffer). The gateway writes a repeat again but the stream-processor acts on the
 * first one only, so resending is always safe and a command is never lost while it waits in the buffer.
 *
 * The promise of `submit` settles on the gateway's answer: `command_accepted` (REST 202) resolves it; a refusal of
 * the command itself (`bad_command`, `forbidden`, REST 400/404/413) rejects it. `command_accepted` means written,
 * not done: the stream-processor's refusal comes later as a `command_rejected` event on the issuer's `atendente:`
 * channel, and rejects the promise only if it arrives first (a replay after a reconnect).
 */
import type { BufferedCommand, CommandBuffer } from './buffer.js';
import { COMMAND_ID_PATTERN, type CommandBody, type CommandFrame, type CommandInput } from '../protocol/frames.js';
import type { CommandRejectedData } from '../protocol/events.js';

export type CommandErrorSource =
  /** refused before sending: the command could never be sent as it is */
  | 'client'
  /** refused by the gateway: malformed, or not a conversa of the caller's empresa */
  | 'gateway'
  /** refused by the stream-processor (`command_rejected`), before the gateway's acceptance reached us */
  | 'processor';

export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    readonly commandId: string,
    /** `bad_command`, `forbidden`, `not_found`, `too_large`, a `command_rejected` reason, or the client's own:
     * `invalid_command_id`, `frame_too_large`, `discarded` */
    readonly code: string,
    message: string,
    readonly source: CommandErrorSource,
  ) {
    super(message);
  }
}

export interface CommandAccepted {
  commandId: string;
}

/** How commands travel over the session now established; null while there is none. */
export interface CommandRoute {
  /** changes with every new session, so a command not answered on the old one is sent again on the new one */
  serial: number;
  via: 'frame' | 'rest';
}

/** The answer to `POST /api/v1/commands`; a network failure rejects instead. */
export interface RestAnswer {
  status: number;
  error?: string;
  reason?: string;
}

export interface CommandLink {
  route(): CommandRoute | null;
  sendFrame(frame: CommandFrame): void;
  post(body: CommandBody): Promise<RestAnswer>;
}

export interface CommandQueueOptions {
  /** no answer to a frame within this long: it was lost (or dropped as `rate_limited`), send it again */
  ackTimeoutMs: number;
  /** after `unavailable`, a 503 or a failed request: wait this long before sending again */
  retryMs: number;
  /** the gateway's frame limit (64 KiB): a larger command would close the connection with 1009 */
  maxFrameBytes: number;
  createCommandId: () => string;
}

export interface CommandQueueEvents {
  commandAccepted: CommandAccepted;
  commandFailed: CommandError;
  warning: { kind: 'buffer_failed'; detail: string };
}

interface Entry {
  command: BufferedCommand;
  waiters: Array<{ resolve: (value: CommandAccepted) => void; reject: (error: CommandError) => void }>;
  /** serial of the session it was last sent on; unset when it must be sent (again) */
  sentOn?: number;
  /** epoch ms before which it is not sent again (after `unavailable`) */
  notBefore: number;
  ackTimer?: ReturnType<typeof setTimeout>;
}

export class CommandQueue {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private posting = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly buffer: CommandBuffer,
    private readonly link: CommandLink,
    private readonly emit: <K extends keyof CommandQueueEvents>(name: K, value: CommandQueueEvents[K]) => void,
    private readonly options: CommandQueueOptions,
  ) {}

  /** Buffers the command, sends it when there is a session, and settles on the gateway's answer. */
  submit(input: CommandInput, owner: string): Promise<CommandAccepted> {
    const commandId = input.commandId ?? this.options.createCommandId();
    const body = { ...input, commandId } as CommandBody;
    const existing = this.entries.get(commandId);
    if (existing) return this.wait(existing);
    if (!COMMAND_ID_PATTERN.test(commandId)) {
      return Promise.reject(new CommandError(commandId, 'invalid_command_id', 'commandId must be 1 to 64 of A-Z a-z 0-9 _ . : -', 'client'));
    }
    const size = this.encoder.encode(JSON.stringify({ type: 'command', ...body })).length;
    if (size > this.options.maxFrameBytes) {
      return Promise.reject(new CommandError(commandId, 'frame_too_large', `the command is ${size} bytes, over the ${this.options.maxFrameBytes}-byte frame limit`, 'client'));
    }
    const entry: Entry = { command: { commandId, body, owner, createdAt: Date.now(), seq: this.seq++ }, waiters: [], notBefore: 0 };
    this.entries.set(commandId, entry);
    const settled = this.wait(entry);
    // Sending does not wait for the buffer: a slow or broken IndexedDB must not delay a command that can go now.
    this.buffer.put(entry.command).catch((error: unknown) => this.bufferFailed(error));
    this.flush();
    return settled;
  }

  /** Takes back the commands an earlier page of the same owner left in the buffer; they are sent like new ones. */
  async restore(owner: string): Promise<void> {
    let stored: BufferedCommand[];
    try {
      stored = await this.buffer.load();
    } catch (error) {
      this.bufferFailed(error);
      return;
    }
    const mine = stored.filter((c) => c.owner === owner && !this.entries.has(c.commandId));
    mine.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    const restored = new Map<string, Entry>();
    for (const command of mine) restored.set(command.commandId, { command, waiters: [], notBefore: 0 });
    // restored commands were issued before this page's: they go first
    const current = [...this.entries];
    this.entries.clear();
    for (const [id, entry] of [...restored, ...current]) this.entries.set(id, entry);
    this.seq = Math.max(this.seq, ...mine.map((c) => c.seq + 1));
  }

  /** Sends what the current session has not been sent yet, in the order the app issued it. */
  flush(): void {
    const route = this.link.route();
    if (!route) return;
    if (route.via === 'frame') {
      const now = Date.now();
      for (const entry of this.entries.values()) {
        if (entry.sentOn === route.serial || entry.notBefore > now) continue;
        entry.sentOn = route.serial;
        this.link.sendFrame({ type: 'command', ...entry.command.body });
        clearTimeout(entry.ackTimer);
        entry.ackTimer = setTimeout(() => {
          if (entry.sentOn !== route.serial) return;
          entry.sentOn = undefined;
          this.flush();
        }, this.options.ackTimeoutMs);
      }
      this.scheduleRetry();
    } else {
      void this.postInOrder(route.serial);
    }
  }

  /** The session ended: every command not answered on it is sent again on the next one. */
  sessionEnded(): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.ackTimer);
      entry.sentOn = undefined;
    }
  }

  accepted(commandId: string): void {
    const entry = this.entries.get(commandId);
    if (!entry) return;
    this.remove(entry);
    for (const waiter of entry.waiters) waiter.resolve({ commandId });
    this.emit('commandAccepted', { commandId });
  }

  /** An `error` frame naming a commandId. */
  gatewayError(commandId: string, code: string, message: string): void {
    const entry = this.entries.get(commandId);
    if (!entry) return;
    if (code === 'unavailable' || code === 'rate_limited') {
      this.retryLater(entry);
      return;
    }
    this.fail(entry, new CommandError(commandId, code, message, 'gateway'));
  }

  /** A `command_rejected` event: matters only while the command is still waiting for the gateway's answer. */
  rejected(data: CommandRejectedData): void {
    const entry = this.entries.get(data.commandId);
    if (entry) this.fail(entry, new CommandError(data.commandId, data.reason, data.message, 'processor'));
  }

  /** Gives up on a command: it leaves the buffer and its promise rejects with `discarded`. */
  discard(commandId: string): boolean {
    const entry = this.entries.get(commandId);
    if (!entry) return false;
    this.fail(entry, new CommandError(commandId, 'discarded', 'discarded by the app before the gateway answered', 'client'));
    return true;
  }

  /** The commands waiting for the gateway's answer, in the order they are sent. */
  pending(): BufferedCommand[] {
    return [...this.entries.values()].map((e) => e.command);
  }

  dispose(): void {
    this.sessionEnded();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Over REST one at a time, in order: a command refused for the moment holds back the ones issued after it. */
  private async postInOrder(serial: number): Promise<void> {
    if (this.posting) return;
    this.posting = true;
    try {
      for (;;) {
        const route = this.link.route();
        if (!route || route.via !== 'rest' || route.serial !== serial) return;
        const entry = [...this.entries.values()].find((e) => e.sentOn !== serial);
        if (!entry || entry.notBefore > Date.now()) return;
        entry.sentOn = serial;
        let answer: RestAnswer;
        try {
          answer = await this.link.post(entry.command.body);
        } catch {
          this.retryLater(entry);
          return;
        }
        if (!this.entries.has(entry.command.commandId)) continue;
        if (answer.status >= 200 && answer.status < 300) {
          this.accepted(entry.command.commandId);
        } else if (answer.status === 401 || answer.status === 408 || answer.status === 429 || answer.status >= 500) {
          // the command is fine; the token, the node or the network is not: the same command later
          this.retryLater(entry);
          return;
        } else {
          const code = answer.error ?? `http_${answer.status}`;
          this.fail(entry, new CommandError(entry.command.commandId, code, answer.reason ?? code, 'gateway'));
        }
      }
    } finally {
      this.posting = false;
    }
  }

  private retryLater(entry: Entry): void {
    clearTimeout(entry.ackTimer);
    entry.sentOn = undefined;
    entry.notBefore = Date.now() + this.options.retryMs;
    this.scheduleRetry();
  }

  /** One timer for the earliest command held back. */
  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const now = Date.now();
    const next = Math.min(...[...this.entries.values()].map((e) => (e.notBefore > now ? e.notBefore : Infinity)));
    if (next === Infinity) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, next - now);
  }

  private fail(entry: Entry, error: CommandError): void {
    this.remove(entry);
    for (const waiter of entry.waiters) waiter.reject(error);
    this.emit('commandFailed', error);
  }

  private remove(entry: Entry): void {
    clearTimeout(entry.ackTimer);
    this.entries.delete(entry.command.commandId);
    this.buffer.delete(entry.command.commandId).catch((error: unknown) => this.bufferFailed(error));
  }

  private wait(entry: Entry): Promise<CommandAccepted> {
    return new Promise((resolve, reject) => entry.waiters.push({ resolve, reject }));
  }

  private bufferFailed(error: unknown): void {
    this.emit('warning', { kind: 'buffer_failed', detail: error instanceof Error ? error.message : String(error) });
  }
}
