export { CLOSE_CODES, closeAction } from './connection/close-codes.js';
export type { CloseAction, CloseCodeInfo } from './connection/close-codes.js';
export { decodeFrame, decodeText } from './protocol/decode.js';
export type { Decoded } from './protocol/decode.js';
export * from './protocol/events.js';
export * from './protocol/frames.js';
