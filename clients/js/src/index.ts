export { ChatCentralClient } from './client.js';
export type {
  ClientEvents,
  ClientOptions,
  ClientWarning,
  ConnectionState,
  ConnectionStatus,
  EventHandler,
  NetworkEvents,
  PresenceView,
  TypingView,
} from './client.js';
export { CommandError } from './commands/commands.js';
export type { CommandAccepted, CommandErrorSource } from './commands/commands.js';
export { MemoryCommandBuffer } from './commands/buffer.js';
export type { BufferedCommand, CommandBuffer } from './commands/buffer.js';
export { IndexedDbCommandBuffer } from './commands/indexeddb.js';
export type { IndexedDbBufferOptions } from './commands/indexeddb.js';
export { DEFAULT_BACKOFF, backoffCap, backoffDelay } from './connection/backoff.js';
export type { BackoffOptions } from './connection/backoff.js';
export { CLOSE_CODES, closeAction } from './connection/close-codes.js';
export type { CloseAction, CloseCodeInfo } from './connection/close-codes.js';
export type { Observable, Listener, Unsubscribe } from './emitter.js';
export type { ConnectionMetrics } from './metrics.js';
export { PresenceStore } from './presence.js';
export { EMPRESA_QUEUE_PATH, MAX_QUEUE_LIMIT, MalformedAnswerError, decodeEmpresaQueue, fetchEmpresaQueue } from './queue.js';
export type {
  EmpresaQueue,
  QueueAssignment,
  QueueAtendente,
  QueueAtendentes,
  QueueWaiting,
  RestGetter,
  WaitingConversa,
} from './queue.js';
export type { PresenceState } from './presence.js';
export { DEFAULT_TYPING, TypingIndicator, TypingUsers } from './typing.js';
export type { TypingOptions, TypingUser } from './typing.js';
export { decodeClaims } from './token.js';
export { randomUuid } from './uuid.js';
export type { TokenClaims, TokenProvider, TokenReason } from './token.js';
export { decodeFrame, decodeText } from './protocol/decode.js';
export type { Decoded } from './protocol/decode.js';
export * from './protocol/events.js';
export * from './protocol/frames.js';
export type { TransportKind, WebSocketConstructor, WebSocketLike } from './transport/types.js';
