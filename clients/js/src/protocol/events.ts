/**
 * The events the gateway delivers (docs/protocol.md "Events") and the shapes of their `data`, written from the
 * event payload schemas in `schemas/` (the Java records `Conversa`, `Mensagem`, `MessageStatusData`, ...) and the
 * stream-processor code that fills them. `test/protocol-docs.test.ts` checks these against docs/asyncapi.yaml and
 * the Java records, so a field or event type added there fails the build here until it is added.
 */

import type { OnlineUser, PresenceSnapshotData } from './frames.js';

/** Every event type the protocol lists, in its order. */
export const EVENT_TYPES = [
  'message_notification',
  'message_status',
  'message_edited',
  'message_deleted',
  'message_reaction',
  'conversation_updated',
  'conversation_transferred',
  'presence_update',
  'typing_start',
  'typing_stop',
  'instance_status',
  'command_rejected',
  'service_metrics',
  'sla_warning',
  'sla_breached',
] as const;

/** The event types shown without a position, live only and never replayed (docs/protocol.md "Ephemeral events"). */
export const EPHEMERAL_EVENT_TYPES = ['typing_start', 'typing_stop', 'service_metrics'] as const satisfies readonly EventType[];

export type EventType = (typeof EVENT_TYPES)[number];

export const CONVERSA_STATUSES = ['aguardando', 'em_atendimento', 'encerrada'] as const;
export type ConversaStatus = (typeof CONVERSA_STATUSES)[number];

/**
 * Evolution API's names, in the order receipts move a mensagem forward, then ERROR (not the end: a later delivery
 * receipt moves it on) and UNCONFIRMED: a reply whose send may have reached WhatsApp without an answer, neither sent
 * nor failed until evidence settles it, and never resent meanwhile (docs/protocol.md "Mensagem statuses").
 */
export const MENSAGEM_STATUSES = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR', 'UNCONFIRMED'] as const;
export type MensagemStatus = (typeof MENSAGEM_STATUSES)[number];

/** `statusReason` of a reply refused because its WhatsApp number's circuit is open: resend after `retryAt`. */
export const INSTANCE_UNAVAILABLE = 'instance_unavailable';

/** ASCII forms of the seed's disponível, ausente and ocupado. */
export const PRESENCE_STATUSES = ['disponivel', 'ausente', 'ocupado'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** Why the stream-processor refused a command it had accepted (docs/commands.md "Refusals"). */
export const REJECT_REASONS = [
  'not_found',
  'forbidden',
  'already_assigned',
  'invalid_state',
  'unknown_atendente',
  'unconfirmed',
  'instance_unavailable',
  'invalid_command',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** ISO-8601 instant, as the services write it (`2025-10-21T14:30:00.123Z`). */
export type Instant = string;

/** `chat.conversas`' record `Conversa`, embedded in conversa events; also the REST API's conversa item. */
export interface Conversa {
  conversaId: string;
  empresaId: string;
  instance: string;
  remoteJid: string;
  remoteJidAlt: string | null;
  contactName: string | null;
  status: ConversaStatus;
  atendenteId: string | null;
  unreadCount: number;
  lastMensagemPreview: string | null;
  lastMensagemAt: Instant | null;
  version: number;
  createdAt: Instant;
  updatedAt: Instant;
}

/** `chat.mensagens`' record `Mensagem`; a reply not yet on WhatsApp has the provisional keyId `pending:<mensagemId>`. */
export interface Mensagem {
  mensagemId: string;
  conversaId: string;
  empresaId: string;
  instance: string;
  keyId: string;
  fromMe: boolean;
  senderJid: string | null;
  senderName: string | null;
  messageType: string;
  text: string | null;
  status: MensagemStatus;
  sentAt: Instant | null;
  receivedAt: Instant | null;
  /** the fields chat-central changed on the way in (`text`, `senderName` cut or cleaned, `sentAt` replaced); absent when none */
  sanitized?: string[];
  /** counts the mensagem's changes (0 when it first appears): keep the highest of each mensagemId */
  revision: number;
  /** with ERROR or UNCONFIRMED only: why, as a code (`instance_unavailable`, `not_on_whatsapp`, ...) */
  statusReason?: string;
  /** with ERROR or UNCONFIRMED only: why, for people */
  statusDetail?: string;
  /** with `instance_unavailable` only: when a resend can get through */
  retryAt?: Instant;
  /** the text before its first edit; absent when never edited */
  originalText?: string;
  editedAt?: Instant;
  /** deleted for everyone: show "This message was deleted", not `text` */
  deletedAt?: Instant;
  /** one per reacting number; absent when none */
  reactions?: Reaction[];
}

/** `Reaction`: one number's reaction to a mensagem; `reactorJid` `"me"` is the empresa's own number. */
export interface Reaction {
  reactorJid: string;
  fromMe: boolean;
  emoji: string;
  reactedAt: Instant;
}

/** The `reactorJid` of the empresa's own number, which its atendentes share. */
export const COMPANY_REACTOR = 'me';

/** A new mensagem, on `empresa:`, `conversa:` and the conversa's `atendente:` channel. */
export interface MessageNotificationData {
  conversa: Conversa;
  mensagem: Mensagem;
}

/** `MessageStatusData`: a mensagem's delivery status moved forward, to ERROR or to UNCONFIRMED (then `reason` and `error` say why). */
export interface MessageStatusData {
  conversaId: string;
  mensagemId: string;
  keyId: string;
  fromMe: boolean;
  status: MensagemStatus;
  previousStatus: MensagemStatus | null;
  /** with ERROR or UNCONFIRMED: why, as a code (the mensagem's `statusReason`); absent otherwise */
  reason?: string;
  /** with ERROR or UNCONFIRMED: why, for people (the mensagem's `statusDetail`); absent otherwise */
  error?: string;
  /** with `instance_unavailable`: when a resend can get through */
  retryAt?: Instant;
}

/** `MessageEditedData`: the sender edited a mensagem on WhatsApp. */
export interface MessageEditedData {
  conversaId: string;
  mensagemId: string;
  keyId: string;
  fromMe: boolean;
  /** the text now */
  text: string;
  /** the text before its first edit */
  originalText: string;
  editedAt: Instant;
}

/** `MessageDeletedData`: a mensagem was deleted for everyone. */
export interface MessageDeletedData {
  conversaId: string;
  mensagemId: string;
  keyId: string;
  fromMe: boolean;
  deletedAt: Instant;
}

/** `MessageReactionData`: one number's reaction was set, replaced or removed; `reactions` is the whole list now. */
export interface MessageReactionData {
  conversaId: string;
  mensagemId: string;
  keyId: string;
  reactorJid: string;
  reactorFromMe: boolean;
  /** the reaction now; null when it was removed */
  emoji: string | null;
  reactions: Reaction[];
}

/** The conversa's new state, on `empresa:`. */
export interface ConversationUpdatedData {
  conversa: Conversa;
}

/** On `empresa:` and the receiving atendente's `atendente:` channel; `to` null: back to the queue. */
export interface ConversationTransferredData {
  conversa: Conversa;
  from: string | null;
  to: string | null;
  by: string;
}

/** `PresenceUpdateData`, on `presence:{empresaId}`: a user came online, went offline or changed status. */
export interface PresenceUpdateData {
  userId: string;
  name: string | null;
  online: boolean;
  /** the last status chosen, also when going offline */
  status: PresenceStatus;
  /** the user's open sessions after the change (0 when offline) */
  sessions: number;
  /** when the user came online; null when offline */
  since: Instant | null;
  /** the empresa's presence version after this change: apply only if greater than the version held */
  version: number;
  ts: Instant;
}

/** `AtendenteTypingData`: an atendente types in a conversa (on `conversa:{conversaId}`). */
export interface AtendenteTypingData {
  conversaId: string;
  who: 'atendente';
  userId: string;
  name: string | null;
}

/** `TypingData`: the customer types in WhatsApp; a start never stopped ends after 10 s with `presence: "expired"`. */
export interface ClienteTypingData {
  conversaId: string;
  who: 'cliente';
  jid: string;
  /** what WhatsApp reported: `composing`, `recording`, `paused`, ..., or `expired` */
  presence: string;
}

export type TypingData = AtendenteTypingData | ClienteTypingData;

/** `InstanceStatusData`: one of the empresa's WhatsApp numbers changed state, or went silent (on `empresa:`). */
export interface InstanceStatusData {
  instance: string;
  /** `open`, `connecting`, `close` or `refused` */
  state: string;
  statusReason: number | null;
  wuid: string | null;
  profileName: string | null;
  /** true: says `open` but has sent no webhook for far longer than usual; false: that silence ended; absent otherwise */
  silent?: boolean;
  /** with `silent`: when its last webhook arrived */
  lastWebhookAt?: Instant;
}

/** `CommandRejectedData`, on the issuer's `atendente:{userId}` channel only. */
export interface CommandRejectedData {
  commandId: string;
  /** the command (`assign`, `transfer`, ...), as sent */
  type: string;
  conversaId: string;
  reason: RejectReason;
  message: string;
}

/**
 * `ServiceMetrics.Figures`: the counters of one window. Sums, counts and maxima, not averages, so windows add up: an
 * average is `...MsSum / count` (first assignments over `assigned`, first responses over `firstResponses`, handling
 * over `closed`); durations in ms.
 */
export interface ServiceFigures {
  assigned: number;
  firstAssignmentMsSum: number;
  firstAssignmentMsMax: number;
  firstResponses: number;
  firstResponseMsSum: number;
  firstResponseMsMax: number;
  closed: number;
  handlingMsSum: number;
  handlingMsMax: number;
  mensagensIn: number;
  mensagensOut: number;
  /** first responses and first assignments later than the empresa's targets */
  slaBreaches: number;
}

/** `ServiceMetrics.AtendenteFigures`: one atendente's figures in a window. */
export interface AtendenteServiceFigures {
  atendenteId: string;
  figures: ServiceFigures;
}

/** `ServiceMetrics.Window`: the current tumbling window of a minute (`1m`) or an hour (`1h`). */
export interface ServiceWindow {
  /** `1m` or `1h` */
  size: string;
  start: Instant;
  end: Instant;
  empresa: ServiceFigures;
  /** each atendente who did anything in the window */
  byAtendente: AtendenteServiceFigures[];
}

/** `ServiceMetrics.AtendenteLoad`: what awaits one atendente now. */
export interface AtendenteLoad {
  atendenteId: string;
  /** conversas em_atendimento assigned to them */
  open: number;
  /** of those, the ones whose latest mensagem is the customer's */
  awaitingReply: number;
  /** how long the oldest unanswered customer mensagem among them has waited, in ms */
  longestAwaitingMs: number;
}

/**
 * `ServiceMetrics`: how the empresa's customer service is doing, as the analytics application computed it. On
 * `empresa:{empresaId}` as the ephemeral `service_metrics` event every few seconds, and the answer of
 * `GET /api/v1/metrics/service`, where `ts` null says no figures were written yet.
 */
export interface ServiceMetrics {
  empresaId: string;
  /** when the figures were computed; null: none yet */
  ts: Instant | null;
  /** conversas aguardando now */
  waiting: number;
  /** how long the oldest of them has waited at `ts`, in ms; 0 when none waits */
  longestWaitMs: number;
  windows: ServiceWindow[];
  /** each atendente with a conversa open now */
  atendentes: AtendenteLoad[];
}

/** What an SLA clock measures: the first response since assignment or reopen, or the next since the customer wrote. */
export const SLA_KINDS = ['first_response', 'next_response'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

/**
 * `SlaTimerData`, of `sla_warning` (a response is due soon) and `sla_breached` (it is due and has not come), on
 * `empresa:{empresaId}` and the assigned atendente's `atendente:{userId}` channel (docs/assignment.md "SLA timers").
 */
export interface SlaTimerData {
  conversaId: string;
  /** the atendente who holds the conversa and owes the response */
  atendenteId: string;
  kind: SlaKind;
  /** when the response is due: `startedAt` plus the target in the empresa's business hours */
  dueAt: Instant;
  /** when the clock started */
  startedAt: Instant;
}

/** `data` for each event type. */
export interface EventDataMap {
  message_notification: MessageNotificationData;
  message_status: MessageStatusData;
  message_edited: MessageEditedData;
  message_deleted: MessageDeletedData;
  message_reaction: MessageReactionData;
  conversation_updated: ConversationUpdatedData;
  conversation_transferred: ConversationTransferredData;
  presence_update: PresenceUpdateData;
  typing_start: TypingData;
  typing_stop: TypingData;
  instance_status: InstanceStatusData;
  command_rejected: CommandRejectedData;
  service_metrics: ServiceMetrics;
  sla_warning: SlaTimerData;
  sla_breached: SlaTimerData;
}

/** One event frame as delivered on one channel (an event on several channels arrives once per channel). */
export interface RealtimeEventOf<T extends EventType> {
  type: T;
  /** the subscribed channel it was delivered on */
  channel: string;
  /** the event's id: the same in every copy and every replay */
  id: string;
  data: EventDataMap[T];
  /**
   * offset in the empresa's partition of chat.events; grows, not consecutively. Absent on ephemeral events (typing,
   * service_metrics), which nothing resumes from
   */
  position?: number;
  /** true on typing and service_metrics events: shown live, without position, never replayed */
  ephemeral?: true;
  ts: Instant | null;
}

/** Any event, discriminated by `type`. */
export type RealtimeEvent = { [T in EventType]: RealtimeEventOf<T> }[EventType];

/**
 * The fields of each payload type, at run time. `fieldsOf<T>()` refuses a list that misses a key of `T` (or names
 * one `T` lacks) at compile time, and the docs test compares the lists with the Java records of `schemas/`, so the
 * TypeScript types, these lists and the schemas cannot drift apart silently.
 */
export const PAYLOAD_FIELDS = {
  Conversa: fieldsOf<Conversa>()([
    'conversaId', 'empresaId', 'instance', 'remoteJid', 'remoteJidAlt', 'contactName', 'status', 'atendenteId',
    'unreadCount', 'lastMensagemPreview', 'lastMensagemAt', 'version', 'createdAt', 'updatedAt',
  ]),
  Mensagem: fieldsOf<Mensagem>()([
    'mensagemId', 'conversaId', 'empresaId', 'instance', 'keyId', 'fromMe', 'senderJid', 'senderName',
    'messageType', 'text', 'status', 'sentAt', 'receivedAt', 'sanitized', 'revision', 'statusReason',
    'statusDetail', 'retryAt', 'originalText', 'editedAt', 'deletedAt', 'reactions',
  ]),
  Reaction: fieldsOf<Reaction>()(['reactorJid', 'fromMe', 'emoji', 'reactedAt']),
  MessageStatusData: fieldsOf<MessageStatusData>()([
    'conversaId', 'mensagemId', 'keyId', 'fromMe', 'status', 'previousStatus', 'reason', 'error', 'retryAt',
  ]),
  MessageEditedData: fieldsOf<MessageEditedData>()([
    'conversaId', 'mensagemId', 'keyId', 'fromMe', 'text', 'originalText', 'editedAt',
  ]),
  MessageDeletedData: fieldsOf<MessageDeletedData>()(['conversaId', 'mensagemId', 'keyId', 'fromMe', 'deletedAt']),
  MessageReactionData: fieldsOf<MessageReactionData>()([
    'conversaId', 'mensagemId', 'keyId', 'reactorJid', 'reactorFromMe', 'emoji', 'reactions',
  ]),
  PresenceUpdateData: fieldsOf<PresenceUpdateData>()([
    'userId', 'name', 'online', 'status', 'sessions', 'since', 'version', 'ts',
  ]),
  AtendenteTypingData: fieldsOf<AtendenteTypingData>()(['conversaId', 'who', 'userId', 'name']),
  TypingData: fieldsOf<ClienteTypingData>()(['conversaId', 'who', 'jid', 'presence']),
  InstanceStatusData: fieldsOf<InstanceStatusData>()([
    'instance', 'state', 'statusReason', 'wuid', 'profileName', 'silent', 'lastWebhookAt',
  ]),
  CommandRejectedData: fieldsOf<CommandRejectedData>()(['commandId', 'type', 'conversaId', 'reason', 'message']),
  SlaTimerData: fieldsOf<SlaTimerData>()(['conversaId', 'atendenteId', 'kind', 'dueAt', 'startedAt']),
  ServiceMetrics: fieldsOf<ServiceMetrics>()(['empresaId', 'ts', 'waiting', 'longestWaitMs', 'windows', 'atendentes']),
  Window: fieldsOf<ServiceWindow>()(['size', 'start', 'end', 'empresa', 'byAtendente']),
  AtendenteFigures: fieldsOf<AtendenteServiceFigures>()(['atendenteId', 'figures']),
  Figures: fieldsOf<ServiceFigures>()([
    'assigned', 'firstAssignmentMsSum', 'firstAssignmentMsMax', 'firstResponses', 'firstResponseMsSum',
    'firstResponseMsMax', 'closed', 'handlingMsSum', 'handlingMsMax', 'mensagensIn', 'mensagensOut', 'slaBreaches',
  ]),
  AtendenteLoad: fieldsOf<AtendenteLoad>()(['atendenteId', 'open', 'awaitingReply', 'longestAwaitingMs']),
  PresenceSnapshot: fieldsOf<PresenceSnapshotData>()(['empresaId', 'online', 'count', 'version', 'ts']),
  OnlineUser: fieldsOf<OnlineUser>()(['userId', 'name', 'status', 'since', 'roles']),
} as const;

type Missing<T, L extends readonly PropertyKey[]> = Exclude<keyof T, L[number]>;

/** A list of exactly the keys of `T`: a missing key is a compile error naming it. */
function fieldsOf<T>() {
  return <const L extends readonly (keyof T)[]>(
    list: L & ([Missing<T, L>] extends [never] ? unknown : { missingFields: Missing<T, L> }),
  ): L => list;
}
