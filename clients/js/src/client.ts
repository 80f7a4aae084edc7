/**
 * `ChatCentralClient`: one realtime session with the gateway for one atendente, whatever carries it.
 *
 * It keeps the channels the app follows and the highest position seen on each, and after every reconnect, on any
 * node and any transport, it subscribes again with `since` = that position, so the app sees every event once and
 * in order (docs/protocol.md "Resume"). It reconnects by close code with backoff and full jitter, falls back from
 * WebSocket to SSE to long-poll after `maxAttempts` failures on each, and while on a fallback tries the WebSocket
 * again now and then. Commands wait in a buffer until the gateway answers and are resent with their `commandId`.
 */
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './connection/backoff.js';
import { closeAction, type CloseAction } from './connection/close-codes.js';
import { CommandQueue, type CommandAccepted, type CommandError, type CommandLink, type RestAnswer } from './commands/commands.js';
import { MemoryCommandBuffer, type BufferedCommand, type CommandBuffer } from './commands/buffer.js';
import { Emitter, type Listener, type Observable, type Unsubscribe } from './emitter.js';
import { MetricsCollector, type ConnectionMetrics } from './metrics.js';
import { Positions } from './positions.js';
import { PresenceStore, type PresenceState } from './presence.js';
import { decodeFrame, decodeText, type Decoded } from './protocol/decode.js';
import type { PresenceStatus, RealtimeEvent } from './protocol/events.js';
import {
  CHANNEL_PATTERN,
  channels as channelOf,
  type ClientFrame,
  type CommandBody,
  type CommandInput,
  type ConnectedFrame,
  type ControlFrame,
  type ErrorFrame,
  type OnlineUser,
} from './protocol/frames.js';
import { TokenKeeper, type TokenProvider } from './token.js';
import { DEFAULT_TYPING, TypingIndicator, TypingUsers, type TypingOptions, type TypingUser } from './typing.js';
import { endpoint } from './transport/http.js';
import { randomUuid } from './uuid.js';
import { PollTransport } from './transport/poll.js';
import { SseTransport } from './transport/sse.js';
import type {
  Transport,
  TransportClose,
  TransportContext,
  TransportKind,
  TransportListener,
  WebSocketConstructor,
} from './transport/types.js';
import { WebSocketTransport } from './transport/websocket.js';

export interface ClientOptions {
  /** the gateway's base URL (`https://chat.example.com`); `/ws`, `/realtime/*` and `/api/v1/*` are under it */
  url: string | URL;
  /** the agent JWT, or a callback that returns one (needed to refresh before `exp` and to come back after 4001) */
  token: string | TokenProvider;
  /** transports to try, in order (default `['websocket', 'sse', 'poll']`) */
  transports?: readonly TransportKind[];
  /** reconnection schedule (default 5 attempts, 1 s base, factor 2, at most 30 s) */
  reconnect?: Partial<BackoffOptions>;
  /** least wait after 1013, 4029 or a 503 without `Retry-After` (default 5000 ms) */
  pauseMs?: number;
  /** a connection that has no session by then has failed (default 10000 ms) */
  connectTimeoutMs?: number;
  /** JSON `ping` over the WebSocket this often, to measure latency and notice a dead server (default 25000 ms) */
  pingIntervalMs?: number;
  /** no `pong` within this long: the connection is dead, reconnect (default 10000 ms) */
  pongTimeoutMs?: number;
  /** an SSE stream silent, or a long-poll unanswered, this long is dead (default 60000 ms) */
  stallTimeoutMs?: number;
  /** while on SSE or long-poll, try the WebSocket again this often (default 60000 ms) */
  websocketRetryMs?: number;
  /** ask for a new token this long before it expires, or at half its remaining life if that is sooner (default 60000 ms) */
  tokenRefreshLeadMs?: number;
  /** where unanswered commands wait (default in memory; `IndexedDbCommandBuffer` survives reloads) */
  commandBuffer?: CommandBuffer;
  /** a command frame unanswered this long is sent again, same `commandId` (default 10000 ms) */
  commandAckTimeoutMs?: number;
  /** after `unavailable` (a command, a subscription, a refresh) try again after this long (default 2000 ms) */
  retryMs?: number;
  /** the gateway's `WEBSOCKET_MAX_FRAME_SIZE`: larger commands are refused here, not closed with 1009 (default 65536) */
  maxFrameBytes?: number;
  /** follow the user's own `atendente:{userId}` channel, where command refusals arrive (default true) */
  followOwnChannel?: boolean;
  /** publish connection metrics this often (default 10000 ms) */
  metricsIntervalMs?: number;
  /** typing debounce and expiry (default stop after 3000 ms, repeat every 5000 ms, expire after 10000 ms) */
  typing?: Partial<TypingOptions>;
  /** the WebSocket class (default `globalThis.WebSocket`; tests and Node pass one) */
  WebSocket?: WebSocketConstructor;
  /** fetch (default `globalThis.fetch`) */
  fetch?: typeof fetch;
  /** random numbers in [0, 1) for the jitter (default `Math.random`) */
  random?: () => number;
  /** new `commandId`s (default a random UUID: `crypto.randomUUID()`, or from `getRandomValues` outside secure contexts) */
  createCommandId?: () => string;
  /** where the browser's `offline` and `online` events come from (default `globalThis` where it has `addEventListener`) */
  network?: NetworkEvents;
}

/** The part of `window` that tells when the device loses and regains its network. */
export interface NetworkEvents {
  addEventListener(type: 'offline' | 'online', listener: () => void): void;
  removeEventListener(type: 'offline' | 'online', listener: () => void): void;
}

export type ConnectionStatus =
  /** created, `connect()` not called yet */
  | 'idle'
  /** opening a transport: the first time, or the first try of a fallback */
  | 'connecting'
  /** a session is established: events flow, commands are sent */
  | 'connected'
  /** waiting to try again (`retryAt`) */
  | 'reconnecting'
  /** gave up: every transport failed, or a close the client must not repeat (`error` says why); `connect()` again to retry */
  | 'failed'
  /** `close()` was called */
  | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  transport: TransportKind | null;
  /** reconnection attempts on this transport since the last session */
  attempt: number;
  /** epoch ms of the next attempt, while reconnecting */
  retryAt: number | null;
  /** how the last connection ended */
  lastClose: { code: number; reason: string } | null;
  /** the session's `connected` frame (WebSocket, SSE); null over long-poll and while not connected */
  session: ConnectedFrame | null;
  /** why the client stopped, when failed */
  error: string | null;
  /**
   * when failed, whether trying later may work: `unreachable` (every transport's attempts failed: the gateway may be
   * down or the network gone) or `refused` (a close the client must not repeat: a client bug, an expired fixed
   * token, a refused origin)
   */
  failure: 'unreachable' | 'refused' | null;
}

export type ClientWarning =
  | { kind: 'malformed_frame'; reason: string; value: unknown }
  | { kind: 'unknown_event'; type: string; value: unknown }
  | { kind: 'listener_threw'; error: unknown }
  | { kind: 'buffer_failed'; detail: string }
  | { kind: 'token_failed'; detail: string };

export interface ClientEvents {
  state: ConnectionState;
  /** every event, after duplicates were dropped */
  event: RealtimeEvent;
  /** a channel is followed; `recovered` answers a subscription with `since` */
  subscribed: { channel: string; position: number; recovered?: boolean };
  /** the missed events of the channel are gone (retention): reload its state over REST; events continue */
  resync: { channel: string; position: number };
  /** an `error` frame not about a command (those reject the command's promise), or a refused channel */
  error: ErrorFrame;
  commandAccepted: CommandAccepted;
  commandFailed: CommandError;
  /** something the client dropped or could not do; it carries on */
  warning: ClientWarning;
}

export type EventHandler = (event: RealtimeEvent) => void;

/** Who is online in one empresa; see `PresenceStore`. */
export interface PresenceView extends Observable<PresenceState> {
  readonly onlineUsers: readonly OnlineUser[];
  isOnline(userId: string): boolean;
  /** stop following `presence:{empresaId}` for this view */
  dispose(): void;
}

/** Typing in one conversa: who types (others), and this user's own indicator. */
export interface TypingView extends Observable<readonly TypingUser[]> {
  readonly typingUsers: readonly TypingUser[];
  /** call on every keystroke: `typing_start` once, `typing_stop` 3 s after the last one */
  keystroke(): void;
  /** stop typing now (message sent) */
  stop(): void;
  /** stop following `conversa:{conversaId}` for this view */
  dispose(): void;
}

interface Link {
  serial: number;
  kind: TransportKind;
  transport: Transport;
  established: boolean;
  session: ConnectedFrame | null;
  /** channels whose subscription this session confirmed */
  confirmed: Set<string>;
  connectTimer?: ReturnType<typeof setTimeout>;
  pingTimer?: ReturnType<typeof setInterval>;
  pongTimer?: ReturnType<typeof setTimeout>;
  pingSentAt?: number;
}

type Resolved = Required<Omit<ClientOptions, 'url' | 'token' | 'reconnect' | 'typing' | 'WebSocket' | 'fetch' | 'commandBuffer' | 'network'>>;

const DEFAULTS: Resolved = {
  transports: ['websocket', 'sse', 'poll'],
  pauseMs: 5000,
  connectTimeoutMs: 10_000,
  pingIntervalMs: 25_000,
  pongTimeoutMs: 10_000,
  stallTimeoutMs: 60_000,
  websocketRetryMs: 60_000,
  tokenRefreshLeadMs: 60_000,
  commandAckTimeoutMs: 10_000,
  retryMs: 2000,
  maxFrameBytes: 65_536,
  followOwnChannel: true,
  metricsIntervalMs: 10_000,
  random: Math.random,
  createCommandId: () => randomUuid(),
};

export class ChatCentralClient {
  private readonly options: Resolved;
  private readonly backoff: BackoffOptions;
  private readonly typingOptions: TypingOptions;
  private readonly baseUrl: URL;
  private readonly transports: readonly TransportKind[];
  private readonly WebSocketClass: WebSocketConstructor | undefined;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly network: NetworkEvents | undefined;

  private readonly emitter = new Emitter<ClientEvents>((error) => this.warn({ kind: 'listener_threw', error }));
  private readonly token: TokenKeeper;
  private readonly positions = new Positions();
  private readonly metricsCollector = new MetricsCollector((error) => this.warn({ kind: 'listener_threw', error }));
  private readonly queue: CommandQueue;
  private readonly subscriptions = new Map<string, Set<{ handler: EventHandler }>>();
  private readonly presenceStores = new Map<string, { store: PresenceStore; views: number }>();
  private readonly typingUsers = new Map<string, { users: TypingUsers; views: number }>();
  private readonly typingIndicators = new Map<string, TypingIndicator>();

  private currentState: ConnectionState = {
    status: 'idle',
    transport: null,
    attempt: 0,
    retryAt: null,
    lastClose: null,
    session: null,
    error: null,
    failure: null,
  };
  private running = false;
  private warningDepth = 0;
  /** changes on close(): async work started before it must not act after it */
  private generation = 0;
  private serial = 0;
  private link: Link | null = null;
  private probe: Link | null = null;
  private transportIndex = 0;
  private attempt = 0;
  private needNewToken = false;
  private restoredOwner: string | undefined;
  private ownChannel: Unsubscribe | undefined;
  private chosenStatus: PresenceStatus | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ClientOptions) {
    this.options = { ...DEFAULTS, ...definedOnly(options) } as Resolved;
    this.backoff = { ...DEFAULT_BACKOFF, ...definedOnly(options.reconnect ?? {}) };
    this.typingOptions = { ...DEFAULT_TYPING, ...definedOnly(options.typing ?? {}) };
    this.baseUrl = httpUrl(options.url);
    this.WebSocketClass = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    this.fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.network = options.network ?? (typeof globalThis.addEventListener === 'function' ? (globalThis as NetworkEvents) : undefined);
    // a transport this environment lacks is skipped rather than failed five times
    this.transports = this.options.transports.filter((kind) => (kind === 'websocket' ? this.WebSocketClass : this.fetchFn));
    if (this.transports.length === 0) throw new Error('no usable transport: pass WebSocket and/or fetch');
    this.token = new TokenKeeper(options.token);
    this.queue = new CommandQueue(options.commandBuffer ?? new MemoryCommandBuffer(), this.commandLink(), (name, value) => this.emitter.emit(name, value as never), {
      ackTimeoutMs: this.options.commandAckTimeoutMs,
      retryMs: this.options.retryMs,
      maxFrameBytes: this.options.maxFrameBytes,
      createCommandId: this.options.createCommandId,
    });
  }

  // ------------------------------------------------------------------------------------------- public API

  /** The connection state now; `on('state')` tells every change. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Starts connecting (and reconnecting until `close()` or `failed`); a no-op while already running. */
  connect(): void {
    if (this.running) return;
    this.running = true;
    this.transportIndex = 0;
    this.attempt = 0;
    this.metricsCollector.start(this.options.metricsIntervalMs);
    this.network?.addEventListener('offline', this.wentOffline);
    this.network?.addEventListener('online', this.cameOnline);
    this.setState({ status: 'connecting', transport: this.transports[0] ?? null, attempt: 0, retryAt: null, error: null, failure: null });
    void this.open(this.transports[0]!);
  }

  /** Ends the session and every timer. Subscriptions, positions and buffered commands stay for a later `connect()`. */
  close(): void {
    if (this.currentState.status === 'closed') return;
    for (const indicator of [...this.typingIndicators.values()]) indicator.stop();
    this.stop();
    this.metricsCollector.stop();
    this.setState({ status: 'closed', retryAt: null, session: null });
  }

  on<K extends keyof ClientEvents>(name: K, listener: Listener<ClientEvents[K]>): Unsubscribe {
    return this.emitter.on(name, listener);
  }

  /**
   * Follows `channel` (`empresa:…`, `conversa:…`, `atendente:…`, `presence:…`) and calls `handler` with each of its
   * events. Several handlers of one channel share one subscription; the last unsubscribe ends it. `since` starts
   * from a position the app kept (e.g. across a reload) instead of from now.
   */
  subscribe(channel: string, handler: EventHandler, options: { since?: number } = {}): Unsubscribe {
    if (!CHANNEL_PATTERN.test(channel)) throw new TypeError(`not a channel: ${JSON.stringify(channel)} (kind:id)`);
    const entry = { handler };
    let handlers = this.subscriptions.get(channel);
    const isNew = handlers === undefined;
    if (!handlers) {
      handlers = new Set();
      this.subscriptions.set(channel, handlers);
      if (options.since !== undefined) this.positions.advance(channel, options.since);
    }
    handlers.add(entry);
    if (isNew) this.channelAdded(channel);
    const set = handlers;
    return once(() => {
      set.delete(entry);
      if (set.size === 0 && this.subscriptions.get(channel) === set) {
        this.subscriptions.delete(channel);
        this.positions.forget(channel);
        this.channelRemoved(channel);
      }
    });
  }

  /** The channels followed now, with the position each would resume from. */
  positionsHeld(): Record<string, number> {
    return this.positions.toJSON();
  }

  /**
   * Sends an atendente's command. It waits in the buffer until the gateway answers, across reconnects, with the
   * same `commandId`. Resolves on `command_accepted` (written, not yet done); rejects with a `CommandError` when the
   * gateway refuses it, or when a `command_rejected` for it arrives first.
   */
  command(input: CommandInput): Promise<CommandAccepted> {
    return this.queue.submit(input, this.owner());
  }

  /** The commands still waiting for the gateway's answer. */
  pendingCommands(): BufferedCommand[] {
    return this.queue.pending();
  }

  /** Gives up on a buffered command: it is not sent again and its promise rejects with `discarded`. */
  discardCommand(commandId: string): boolean {
    return this.queue.discard(commandId);
  }

  /** Who is online in `empresaId` (default: the token's); follows `presence:{empresaId}` until `dispose()`. */
  presence(empresaId?: string): PresenceView {
    const id = empresaId ?? this.currentState.session?.empresaId ?? this.token.claims?.empresaId;
    if (!id) throw new Error('presence(): no empresaId given and none in the token');
    let entry = this.presenceStores.get(id);
    if (!entry) {
      entry = { store: new PresenceStore(id, (error) => this.warn({ kind: 'listener_threw', error })), views: 0 };
      this.presenceStores.set(id, entry);
    }
    const { store } = entry;
    entry.views++;
    const unsubscribe = this.subscribe(channelOf.presence(id), noop);
    return {
      get: store.get,
      subscribe: store.subscribe,
      get onlineUsers() {
        return store.onlineUsers;
      },
      isOnline: (userId) => store.isOnline(userId),
      dispose: once(() => {
        unsubscribe();
        const held = this.presenceStores.get(id);
        if (held && --held.views === 0) this.presenceStores.delete(id);
      }),
    };
  }

  /** Typing in `conversaId`: who else types there, and this user's own debounced indicator. */
  typing(conversaId: string): TypingView {
    let entry = this.typingUsers.get(conversaId);
    if (!entry) {
      const users = new TypingUsers(this.typingOptions.expireAfterMs, () => this.userId(), (error) => this.warn({ kind: 'listener_threw', error }));
      entry = { users, views: 0 };
      this.typingUsers.set(conversaId, entry);
    }
    const { users } = entry;
    entry.views++;
    const unsubscribe = this.subscribe(channelOf.conversa(conversaId), noop);
    return {
      get: users.get,
      subscribe: users.subscribe,
      get typingUsers() {
        return users.get();
      },
      keystroke: () => this.keystroke(conversaId),
      stop: () => this.stopTyping(conversaId),
      dispose: once(() => {
        this.stopTyping(conversaId);
        unsubscribe();
        const held = this.typingUsers.get(conversaId);
        if (held && --held.views === 0) {
          held.users.clear();
          this.typingUsers.delete(conversaId);
        }
      }),
    };
  }

  /** A keystroke in `conversaId`: starts typing if needed; it stops by itself 3 s after the last one. */
  keystroke(conversaId: string): void {
    let indicator = this.typingIndicators.get(conversaId);
    if (!indicator) {
      indicator = new TypingIndicator((typing) => {
        this.send({ type: typing ? 'typing_start' : 'typing_stop', conversaId });
        if (!typing) this.typingIndicators.delete(conversaId);
      }, this.typingOptions);
      this.typingIndicators.set(conversaId, indicator);
    }
    indicator.keystroke();
  }

  /** Stops typing in `conversaId` now (nothing is sent if not typing). */
  stopTyping(conversaId: string): void {
    this.typingIndicators.get(conversaId)?.stop();
  }

  /**
   * The status the user chose; sent now and again after every reconnect. Needs the WebSocket: over SSE and
   * long-poll it is kept and sent once the WebSocket is back (returns false meanwhile).
   */
  setStatus(status: PresenceStatus): boolean {
    this.chosenStatus = status;
    return this.send({ type: 'presence', status });
  }

  /** Connection metrics, published every `metricsIntervalMs`. */
  metrics(): Observable<ConnectionMetrics> {
    return this.metricsCollector.observable;
  }

  // ------------------------------------------------------------------------------------------- connecting

  private async open(kind: TransportKind): Promise<void> {
    const generation = this.generation;
    let token: string;
    try {
      token = await this.freshToken();
      const owner = this.owner();
      if (owner !== this.restoredOwner) {
        this.restoredOwner = owner;
        await this.queue.restore(owner);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.warn({ kind: 'token_failed', detail: message(error) });
      this.connectionEnded({ code: 1006, reason: `no token: ${message(error)}` });
      return;
    }
    if (generation !== this.generation) return;
    if (this.options.followOwnChannel && this.token.userId) this.followOwnChannel(this.token.userId);
    this.link = this.startLink(kind, token);
  }

  /** The token to connect with: a new one after 4001, a refreshed one when it is about to expire, else the one held. */
  private async freshToken(): Promise<string> {
    if (this.needNewToken) {
      const token = await this.token.obtain('expired');
      this.needNewToken = false;
      return token;
    }
    if (this.token.renewable && this.token.current !== undefined && this.token.expiresWithin(this.options.tokenRefreshLeadMs)) {
      return this.token.obtain('refresh');
    }
    return this.token.obtain('connect');
  }

  private startLink(kind: TransportKind, token: string): Link {
    const link = { serial: ++this.serial, kind, established: false, session: null, confirmed: new Set<string>() } as unknown as Link;
    const listener: TransportListener = {
      text: (text) => this.onDecoded(link, decodeText(text)),
      frame: (value) => this.onDecoded(link, decodeFrame(value)),
      advanced: (channels, position, recovered) => this.onAdvanced(link, channels, position, recovered),
      established: () => this.onEstablished(link),
      closed: (close) => this.onLinkClosed(link, close),
    };
    const ctx: TransportContext = {
      baseUrl: this.baseUrl,
      token: () => this.token.current ?? token,
      channels: () => [...this.subscriptions.keys()],
      positions: this.positions,
      fetch: this.fetchFn!,
      WebSocket: this.WebSocketClass!,
      stallTimeoutMs: this.options.stallTimeoutMs,
    };
    try {
      link.transport =
        kind === 'websocket' ? new WebSocketTransport(ctx, listener) : kind === 'sse' ? new SseTransport(ctx, listener) : new PollTransport(ctx, listener);
    } catch (error) {
      // e.g. a WebSocket refused by the page's security policy: a failure like any other
      link.transport = { kind, send: () => false, renew: noop, close: noop };
      queueMicrotask(() => this.onLinkClosed(link, { code: 1006, reason: message(error) }));
      return link;
    }
    link.connectTimer = setTimeout(() => {
      link.transport.close();
      this.onLinkClosed(link, { code: 1006, reason: `no session within ${this.options.connectTimeoutMs} ms` });
    }, this.options.connectTimeoutMs);
    return link;
  }

  private onEstablished(link: Link): void {
    if (link !== this.link && link !== this.probe) return;
    clearTimeout(link.connectTimer);
    if (link.established) {
      // SSE opened a new stream for new channels or a new token: the same connection, a new session id
      if (link === this.link) this.setState({ session: link.session });
      return;
    }
    link.established = true;
    if (link === this.probe) this.promote(link);
    this.attempt = 0;
    this.metricsCollector.connectionOpened();
    this.setState({ status: 'connected', transport: link.kind, attempt: 0, retryAt: null, session: link.session, error: null, failure: null });
    if (link.kind === 'websocket') {
      for (const channel of this.subscriptions.keys()) this.sendSubscribe(link, channel);
      if (this.chosenStatus) link.transport.send({ type: 'presence', status: this.chosenStatus });
      this.startPing(link);
    } else {
      this.scheduleProbe();
    }
    this.queue.flush();
    this.scheduleRefresh();
  }

  /** The WebSocket probe got a session while we were on a fallback: it takes over, and the fallback is closed. */
  private promote(probe: Link): void {
    clearTimeout(this.probeTimer);
    const old = this.link;
    this.link = probe;
    this.probe = null;
    if (old) this.dropLink(old);
    this.transportIndex = Math.max(0, this.transports.indexOf('websocket'));
  }

  private onLinkClosed(link: Link, close: TransportClose): void {
    if (link === this.probe) {
      this.dropLink(link);
      this.probe = null;
      this.scheduleProbe();
      return;
    }
    if (link !== this.link) return;
    this.dropLink(link);
    this.link = null;
    this.connectionEnded(close);
  }

  private dropLink(link: Link): void {
    clearTimeout(link.connectTimer);
    clearInterval(link.pingTimer);
    clearTimeout(link.pongTimer);
    link.transport.close();
    if (link.established) {
      link.established = false;
      this.metricsCollector.connectionClosed();
      this.queue.sessionEnded();
    }
  }

  /** The connection is gone: act on how it ended (docs/protocol.md "Close codes"). */
  private connectionEnded(close: TransportClose): void {
    if (this.probe) {
      this.dropLink(this.probe);
      this.probe = null;
    }
    clearTimeout(this.probeTimer);
    const action = this.actionFor(close);
    if (action !== 'none' && action !== 'immediate') this.metricsCollector.error();
    this.setState({ lastClose: { code: close.code, reason: close.reason }, session: null });
    switch (action) {
      case 'channel':
        // a refused channel is dropped (and reported); the others reconnect at once
        this.dropChannel({ type: 'error', code: (close.error ?? 'forbidden') as ErrorFrame['code'], message: close.reason, channel: close.channel! });
        return this.retry(0, false);
      case 'stop':
        return this.fail(`closed with ${close.status !== undefined ? `HTTP ${close.status}` : close.code}: ${close.reason}`, 'refused');
      case 'new_token':
        if (!this.token.renewable) return this.fail('the token expired and no token callback was given', 'refused');
        this.needNewToken = true;
        return this.retry(this.attempt === 0 ? 0 : this.backoffDelay());
      case 'immediate':
        return this.retry(0);
      case 'pause':
        return this.retry(Math.max(close.retryAfterMs ?? this.options.pauseMs, this.backoffDelay()));
      case 'none':
      case 'backoff':
        return this.retry(this.backoffDelay());
    }
  }

  /** The close code, or for a refused SSE/long-poll request its status, as an action. */
  private actionFor(close: TransportClose): CloseAction | 'channel' {
    if (close.status === undefined) {
      // a server that closes with 1000 still means to end a session we did not end: reconnect
      return closeAction(close.code);
    }
    if ((close.status === 400 || close.status === 403) && close.channel && this.subscriptions.has(close.channel)) return 'channel';
    if (close.status === 401) return 'new_token';
    if (close.status === 503) return close.error === 'shutting_down' ? 'immediate' : 'pause';
    // no channel named: the request itself can never succeed (origin refused, too many channels)
    if (close.status === 400 || close.status === 403) return 'stop';
    return 'backoff';
  }

  /**
   * Schedules the next try on this transport after `delay`; after `maxAttempts` of them, falls back to the next
   * transport at once, and after the last one, fails.
   */
  private retry(delay: number, counts = true): void {
    const kind = this.transports[this.transportIndex]!;
    if (counts) {
      if (this.attempt >= this.backoff.maxAttempts) return this.fallBack();
      this.attempt++;
      this.metricsCollector.reconnectAttempt();
    }
    this.setState({ status: 'reconnecting', transport: kind, attempt: this.attempt, retryAt: Date.now() + delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.attemptNow(), delay);
  }

  private attemptNow(): void {
    clearTimeout(this.retryTimer);
    this.setState({ status: 'connecting', retryAt: null });
    void this.open(this.transports[this.transportIndex]!);
  }

  /**
   * The browser lost its network: a WebSocket may stay open in its eyes for a long while (until the ping times out),
   * with commands sent into the void; end the connection now, so commands wait in the buffer and the app knows.
   */
  private readonly wentOffline = (): void => {
    if (this.link) this.onLinkClosed(this.link, { code: 1006, reason: 'the browser went offline' });
  };

  /** The network is back: the next attempt need not wait for its backoff. */
  private readonly cameOnline = (): void => {
    if (this.running && !this.link && this.currentState.status === 'reconnecting') this.attemptNow();
  };

  private fallBack(): void {
    if (this.transportIndex + 1 >= this.transports.length) {
      return this.fail(`no connection after ${this.backoff.maxAttempts} attempts on each transport (${this.transports.join(', ')})`, 'unreachable');
    }
    this.transportIndex++;
    this.attempt = 0;
    const kind = this.transports[this.transportIndex]!;
    this.setState({ status: 'connecting', transport: kind, attempt: 0, retryAt: null });
    void this.open(kind);
  }

  private fail(reason: string, failure: 'unreachable' | 'refused'): void {
    this.stop();
    this.setState({ status: 'failed', retryAt: null, session: null, error: reason, failure });
  }

  /** Stops connecting: timers, the link and the probe; what the app follows and buffered is kept. */
  private stop(): void {
    this.running = false;
    this.generation++;
    this.network?.removeEventListener('offline', this.wentOffline);
    this.network?.removeEventListener('online', this.cameOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.probeTimer);
    clearTimeout(this.refreshTimer);
    if (this.link) this.dropLink(this.link);
    if (this.probe) this.dropLink(this.probe);
    this.link = null;
    this.probe = null;
    this.queue.dispose();
  }

  private backoffDelay(): number {
    return backoffDelay(this.attempt, this.backoff, this.options.random);
  }

  /** While on SSE or long-poll, open a WebSocket now and then; if it gets a session it takes over. */
  private scheduleProbe(): void {
    clearTimeout(this.probeTimer);
    if (!this.running || !this.transports.includes('websocket') || this.link?.kind === 'websocket') return;
    this.probeTimer = setTimeout(() => {
      if (!this.running || this.probe || !this.link?.established || this.link.kind === 'websocket') return;
      this.probe = this.startLink('websocket', this.token.current ?? '');
    }, this.options.websocketRetryMs);
  }

  // ------------------------------------------------------------------------------------------- frames

  private onDecoded(link: Link, decoded: Decoded): void {
    if (link === this.probe) {
      // before it takes over, the probe only waits for its session
      if (decoded.kind === 'control' && decoded.frame.type === 'connected') {
        link.session = decoded.frame;
        this.onEstablished(link);
      }
      return;
    }
    if (link !== this.link) return;
    switch (decoded.kind) {
      case 'malformed':
        this.metricsCollector.error();
        return this.warn({ kind: 'malformed_frame', reason: decoded.reason, value: decoded.value });
      case 'unknown':
        return this.warn({ kind: 'unknown_event', type: decoded.type, value: decoded.value });
      case 'event':
        return this.onEvent(decoded.frame);
      case 'control':
        return this.onControl(link, decoded.frame);
    }
  }

  private onControl(link: Link, frame: ControlFrame): void {
    switch (frame.type) {
      case 'connected':
        link.session = frame;
        this.token.serverSaysExpires(frame.expiresAt);
        if (this.options.followOwnChannel) this.followOwnChannel(frame.userId);
        return this.onEstablished(link);
      case 'presence_snapshot':
        if (this.subscriptions.has(frame.channel)) this.presenceStores.get(idOf(frame.channel))?.store.applySnapshot(frame.data);
        return;
      case 'subscribed':
        return this.onSubscribed(link, frame.channel, frame.position, frame.recovered);
      case 'unsubscribed':
        return;
      case 'pong':
        if (link.pingSentAt !== undefined) this.metricsCollector.latency(Date.now() - link.pingSentAt);
        clearTimeout(link.pongTimer);
        link.pingSentAt = undefined;
        return;
      case 'refreshed':
        this.token.serverSaysExpires(frame.expiresAt);
        return this.scheduleRefresh();
      case 'command_accepted':
        return this.queue.accepted(frame.commandId);
      case 'error':
        return this.onError(frame);
      case 'closing':
        // the close that follows carries the same code; SSE reports it as its end
        return;
    }
  }

  private onError(frame: ErrorFrame): void {
    this.metricsCollector.error();
    if (frame.commandId !== undefined) return this.queue.gatewayError(frame.commandId, frame.code, frame.message);
    switch (frame.code) {
      case 'forbidden':
      case 'bad_channel':
      case 'too_many_channels':
        // the channel is refused for good (taken away by a refreshed token, or beyond the session's
        // REALTIME_MAX_CHANNELS): stop resubscribing to it
        if (frame.channel !== undefined && this.subscriptions.has(frame.channel)) return this.dropChannel(frame);
        break;
      case 'unavailable':
        // the subscription was dropped (replay or snapshot unreadable): subscribe again in a moment
        if (frame.channel !== undefined) this.resubscribeLater(frame.channel);
        break;
      case 'refresh_refused':
        this.retryRefreshLater();
        break;
      case 'bad_frame':
      case 'bad_command':
      case 'rate_limited':
        break;
    }
    this.emitter.emit('error', frame);
  }

  private onSubscribed(link: Link, channel: string, position: number, recovered: boolean | undefined): void {
    if (!this.subscriptions.has(channel)) return;
    link.confirmed.add(channel);
    if (recovered === false) {
      this.positions.restart(channel, position);
    } else {
      this.positions.advance(channel, position);
    }
    this.emitter.emit('subscribed', recovered === undefined ? { channel, position } : { channel, position, recovered });
    if (recovered === false) this.emitter.emit('resync', { channel, position });
  }

  /** Long-poll (and SSE priming): `channels` are positioned at `position`, like a `subscribed` for each. */
  private onAdvanced(link: Link, channels: readonly string[], position: number, recovered: boolean | undefined): void {
    if (link !== this.link) return;
    for (const channel of channels) {
      if (!this.subscriptions.has(channel)) continue;
      if (!link.confirmed.has(channel) || recovered === false) {
        this.onSubscribed(link, channel, position, recovered);
      } else {
        this.positions.advance(channel, position);
      }
    }
  }

  private onEvent(event: RealtimeEvent): void {
    const handlers = this.subscriptions.get(event.channel);
    // not followed (any more), or at or below the position held: already delivered. Ephemeral events (typing) have
    // no position and leave the one held alone
    if (!handlers) return;
    if (event.ephemeral !== true && !this.positions.accept(event.channel, event.position as number)) return;
    switch (event.type) {
      case 'presence_update':
        this.presenceStores.get(idOf(event.channel))?.store.applyUpdate(event.data);
        break;
      case 'typing_start':
      case 'typing_stop':
        this.typingUsers.get(event.data.conversaId)?.users.apply(event);
        break;
      case 'command_rejected':
        this.queue.rejected(event.data);
        break;
      default:
        break;
    }
    for (const { handler } of [...handlers]) {
      try {
        handler(event);
      } catch (error) {
        this.warn({ kind: 'listener_threw', error });
      }
    }
    this.emitter.emit('event', event);
  }

  // ------------------------------------------------------------------------------------------- channels

  private channelAdded(channel: string): void {
    const link = this.link;
    if (!link) return;
    if (link.kind !== 'websocket') {
      link.transport.renew();
    } else if (link.established) {
      this.sendSubscribe(link, channel);
    }
  }

  private channelRemoved(channel: string): void {
    const link = this.link;
    if (!link) return;
    link.confirmed.delete(channel);
    if (link.kind !== 'websocket') {
      link.transport.renew();
    } else if (link.established) {
      link.transport.send({ type: 'unsubscribe', channel });
    }
  }

  private sendSubscribe(link: Link, channel: string): void {
    const since = this.positions.get(channel);
    link.transport.send(since === undefined ? { type: 'subscribe', channel } : { type: 'subscribe', channel, since });
  }

  private resubscribeLater(channel: string): void {
    setTimeout(() => {
      const link = this.link;
      if (link?.established && link.kind === 'websocket' && this.subscriptions.has(channel)) this.sendSubscribe(link, channel);
    }, this.options.retryMs);
  }

  /** The server refused a channel: forget it (its handlers too) and tell the app. */
  private dropChannel(frame: ErrorFrame): void {
    const channel = frame.channel!;
    this.subscriptions.delete(channel);
    this.positions.forget(channel);
    this.link?.confirmed.delete(channel);
    if (channel.startsWith('atendente:')) this.ownChannel = undefined;
    this.emitter.emit('error', frame);
  }

  private followOwnChannel(userId: string): void {
    if (this.ownChannel) return;
    this.ownChannel = this.subscribe(channelOf.atendente(userId), noop);
  }

  // ------------------------------------------------------------------------------------------- token

  /** Plans the refresh `tokenRefreshLeadMs` before expiry, or at half the remaining life if that is sooner. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const expiresAt = this.token.expiresAt;
    if (!this.running || !this.token.renewable || expiresAt === undefined) return;
    const remaining = expiresAt - Date.now();
    const lead = Math.min(this.options.tokenRefreshLeadMs, remaining / 2);
    this.refreshTimer = setTimeout(() => void this.refreshToken(), Math.max(0, remaining - lead));
  }

  private async refreshToken(): Promise<void> {
    const generation = this.generation;
    let token: string;
    try {
      token = await this.token.obtain('refresh');
    } catch (error) {
      if (generation !== this.generation) return;
      this.warn({ kind: 'token_failed', detail: message(error) });
      return this.retryRefreshLater();
    }
    if (generation !== this.generation) return;
    const link = this.link;
    if (link?.established && link.kind === 'websocket') {
      // the session keeps going with the new token; `refreshed` tells its expiry
      link.transport.send({ type: 'refresh', token });
    } else if (link?.kind === 'sse') {
      // a stream cannot take a new token: a new stream resumes from the positions held
      link.transport.renew();
    }
    // long-poll sends the new token with its next request
    this.scheduleRefresh();
  }

  private retryRefreshLater(): void {
    clearTimeout(this.refreshTimer);
    const expiresAt = this.token.expiresAt;
    if (!this.running || expiresAt === undefined) return;
    const remaining = expiresAt - Date.now();
    // past expiry the server closes with 4001 and the reconnect asks for a new token anyway
    if (remaining <= 0) return;
    this.refreshTimer = setTimeout(() => void this.refreshToken(), Math.min(this.options.retryMs, remaining / 2));
  }

  // ------------------------------------------------------------------------------------------- helpers

  private startPing(link: Link): void {
    const ping = () => {
      if (link.pingSentAt !== undefined) return;
      link.pingSentAt = Date.now();
      link.pongTimer = setTimeout(() => {
        link.transport.close();
        this.onLinkClosed(link, { code: 1006, reason: `no pong within ${this.options.pongTimeoutMs} ms` });
      }, this.options.pongTimeoutMs);
      link.transport.send({ type: 'ping' });
    };
    ping();
    link.pingTimer = setInterval(ping, this.options.pingIntervalMs);
  }

  private send(frame: ClientFrame): boolean {
    const link = this.link;
    return link !== null && link.established && link.transport.send(frame);
  }

  private commandLink(): CommandLink {
    return {
      route: () => {
        const link = this.link;
        return link?.established ? { serial: link.serial, via: link.kind === 'websocket' ? 'frame' : 'rest' } : null;
      },
      sendFrame: (frame) => {
        this.link?.transport.send(frame);
      },
      post: (body) => this.postCommand(body),
    };
  }

  /** `POST /api/v1/commands`, for SSE and long-poll; a 401 is answered with a new token and one more try. */
  private async postCommand(body: CommandBody): Promise<RestAnswer> {
    const post = async (token: string): Promise<RestAnswer> => {
      const response = await this.fetchFn!(endpoint(this.baseUrl, '/api/v1/commands').href, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
      });
      let answer: Record<string, unknown> = {};
      try {
        const parsed: unknown = await response.json();
        if (typeof parsed === 'object' && parsed !== null) answer = parsed as Record<string, unknown>;
      } catch {
        // a body that is not JSON: the status decides
      }
      const result: RestAnswer = { status: response.status };
      if (typeof answer.error === 'string') result.error = answer.error;
      if (typeof answer.reason === 'string') result.reason = answer.reason;
      return result;
    };
    const first = await post(this.token.current ?? '');
    if (first.status !== 401 || !this.token.renewable) return first;
    return post(await this.token.obtain('expired'));
  }

  private setState(change: Partial<ConnectionState>): void {
    this.currentState = { ...this.currentState, ...change };
    this.emitter.emit('state', this.currentState);
  }

  private warn(warning: ClientWarning): void {
    // a warning listener that throws must not recurse into another warning
    if (warning.kind === 'listener_threw' && this.warningDepth > 0) return;
    this.warningDepth++;
    try {
      this.emitter.emit('warning', warning);
    } finally {
      this.warningDepth--;
    }
  }

  private userId(): string | undefined {
    return this.link?.session?.userId ?? this.token.userId;
  }

  /** Whose commands the buffer holds: the token's `empresaId/sub`. */
  private owner(): string {
    const claims = this.token.claims;
    return `${claims?.empresaId ?? ''}/${claims?.sub ?? ''}`;
  }
}

function httpUrl(url: string | URL): URL {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const parsed = new URL(url, base);
  if (parsed.protocol === 'ws:') parsed.protocol = 'http:';
  if (parsed.protocol === 'wss:') parsed.protocol = 'https:';
  return parsed;
}

/** `kind:id` → id */
function idOf(channel: string): string {
  return channel.slice(channel.indexOf(':') + 1);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

function noop(): void {}
