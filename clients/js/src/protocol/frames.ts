/**
 * The frames between the browser and a gateway node (docs/protocol.md, docs/asyncapi.yaml). The same JSON frames
 * travel over the WebSocket, the SSE stream (one per `data:`) and long-poll (events in an array).
 */
import type { EventType, Instant, PresenceStatus, RealtimeEvent } from './events.js';

/** The subprotocol the gateway selects; a client offering `bearer.<jwt>` must offer it too. */
export const SUBPROTOCOL = 'chatcentral.v1';

/** The four channel kinds: `kind:id`, exactly one `:`, an id of 1 to 128 characters without control characters. */
export const CHANNEL_KINDS = ['atendente', 'conversa', 'empresa', 'presence'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_PATTERN = new RegExp(`^(${CHANNEL_KINDS.join('|')}):[^:\\u0000-\\u001f\\u007f-\\u009f]{1,128}$`);

export const channels = {
  atendente: (userId: string) => `atendente:${userId}`,
  conversa: (conversaId: string) => `conversa:${conversaId}`,
  empresa: (empresaId: string) => `empresa:${empresaId}`,
  presence: (empresaId: string) => `presence:${empresaId}`,
};

// ---------------------------------------------------------------------------------------------- client frames

export const COMMAND_TYPES = ['transfer', 'assign', 'close', 'reopen', 'send_message', 'resend', 'react', 'delete'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** 1 to 64 characters of `A-Z a-z 0-9 _ . : -`; a UUID does. */
export const COMMAND_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A command as the app gives it: the `command` frame without `type` (and `commandId` optional: made up if absent). */
export type CommandInput =
  | { command: 'assign'; conversaId: string; commandId?: string }
  | { command: 'transfer'; conversaId: string; targetAtendenteId: string | null; commandId?: string }
  | { command: 'close'; conversaId: string; commandId?: string }
  | { command: 'reopen'; conversaId: string; commandId?: string }
  | { command: 'send_message'; conversaId: string; text: string; quotedMensagemId?: string | null; commandId?: string }
  | { command: 'resend'; conversaId: string; mensagemId: string; commandId?: string }
  /** `emoji`: at most 64 characters without control characters; `''` removes the empresa's reaction */
  | { command: 'react'; conversaId: string; mensagemId: string; emoji: string; commandId?: string }
  /** deletes one of the empresa's own replies for everyone */
  | { command: 'delete'; conversaId: string; mensagemId: string; commandId?: string };

/** The body of `POST /api/v1/commands`: a command with its id. */
export type CommandBody = CommandInput & { commandId: string };

export type SubscribeFrame = { type: 'subscribe'; channel: string; since?: number };
export type UnsubscribeFrame = { type: 'unsubscribe'; channel: string };
export type PingFrame = { type: 'ping' };
export type RefreshFrame = { type: 'refresh'; token: string };
export type TypingStartFrame = { type: 'typing_start'; conversaId: string };
export type TypingStopFrame = { type: 'typing_stop'; conversaId: string };
export type PresenceFrame = { type: 'presence'; status: PresenceStatus };
export type CommandFrame = { type: 'command' } & CommandBody;

export type ClientFrame =
  | SubscribeFrame
  | UnsubscribeFrame
  | PingFrame
  | RefreshFrame
  | TypingStartFrame
  | TypingStopFrame
  | PresenceFrame
  | CommandFrame;

/** The `type` of every frame the client may send. */
export const CLIENT_FRAME_TYPES = [
  'subscribe',
  'unsubscribe',
  'ping',
  'refresh',
  'typing_start',
  'typing_stop',
  'presence',
  'command',
] as const satisfies readonly ClientFrame['type'][];

// ---------------------------------------------------------------------------------------------- server frames

export type ConnectedFrame = {
  type: 'connected';
  sessionId: string;
  userId: string;
  empresaId: string;
  node: string;
  expiresAt: Instant;
};

export interface OnlineUser {
  userId: string;
  name: string | null;
  status: PresenceStatus;
  /** when they came online */
  since: Instant;
  /**
   * the roles of their latest session's token (`atendente`, `supervisor`, `admin`); absent when presence does not
   * know them. Automatic assignment hands conversas only to atendentes (or to those whose roles are not known).
   */
  roles?: string[];
}

/** `PresenceSnapshot`: who is online; also the answer of `GET /api/v1/presence`. */
export interface PresenceSnapshotData {
  empresaId: string;
  /** ordered by userId */
  online: OnlineUser[];
  count: number;
  /** the empresa's presence version this reflects; 0 when nobody was ever online */
  version: number;
  ts: Instant | null;
}

export type PresenceSnapshotFrame = { type: 'presence_snapshot'; channel: string; data: PresenceSnapshotData };
export type SubscribedFrame = { type: 'subscribed'; channel: string; position: number; recovered?: boolean };
export type UnsubscribedFrame = { type: 'unsubscribed'; channel: string };
export type PongFrame = { type: 'pong' };
export type RefreshedFrame = { type: 'refreshed'; expiresAt: Instant };
export type CommandAcceptedFrame = { type: 'command_accepted'; commandId: string };
export type ErrorFrame = { type: 'error'; code: ErrorCode; message: string; channel?: string; commandId?: string };
export type ClosingFrame = { type: 'closing'; code: number; reason: string };

export type ControlFrame =
  | ConnectedFrame
  | PresenceSnapshotFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | PongFrame
  | RefreshedFrame
  | CommandAcceptedFrame
  | ErrorFrame
  | ClosingFrame;

export type ServerFrame = ControlFrame | RealtimeEvent;

/** The `type` of every control frame; events are the other server frames (their type is an `EventType`). */
export const CONTROL_FRAME_TYPES = [
  'connected',
  'presence_snapshot',
  'subscribed',
  'unsubscribed',
  'pong',
  'refreshed',
  'command_accepted',
  'error',
  'closing',
] as const satisfies readonly ControlFrame['type'][];

export type ServerFrameType = ControlFrame['type'] | EventType;

// ---------------------------------------------------------------------------------------------- errors

/** The `code` of an `error` frame (docs/protocol.md "Errors"); an error closes nothing. */
export const ERROR_CODES = [
  'bad_frame',
  'bad_channel',
  'too_many_channels',
  'bad_command',
  'forbidden',
  'unavailable',
  'refresh_refused',
  'rate_limited',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
