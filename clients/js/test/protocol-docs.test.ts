/**
 * The SDK's types and handlers against the documents and schemas they are written from: docs/asyncapi.yaml,
 * docs/protocol.md and the Java records of `schemas/`. A new event type, error code, close code, command, frame or
 * payload field there fails here until the SDK knows it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLOSE_CODES, closeAction } from '../src/connection/close-codes.js';
import { decodeFrame } from '../src/protocol/decode.js';
import {
  CONVERSA_STATUSES,
  EPHEMERAL_EVENT_TYPES,
  EVENT_TYPES,
  MENSAGEM_STATUSES,
  PAYLOAD_FIELDS,
  PRESENCE_STATUSES,
  REJECT_REASONS,
} from '../src/protocol/events.js';
import {
  CHANNEL_PATTERN,
  CLIENT_FRAME_TYPES,
  COMMAND_ID_PATTERN,
  COMMAND_TYPES,
  CONTROL_FRAME_TYPES,
  ERROR_CODES,
  SUBPROTOCOL,
} from '../src/protocol/frames.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;
const asyncapi: Yaml = parse(read('docs/asyncapi.yaml'));
const protocol = read('docs/protocol.md');
const messages: Record<string, Yaml> = asyncapi.components.messages;

/** The message names an operation lists, resolved to their payload's `type` const. */
function frameTypes(operation: string): string[] {
  return (asyncapi.operations[operation].messages as { $ref: string }[])
    .map((ref) => ref.$ref.split('/').pop()!)
    .filter((name) => name !== 'event')
    .map((name) => messages[name].payload.properties.type.const as string);
}

/** The first column of the markdown table under `heading`, as written between backquotes or bare. */
function tableKeys(heading: string): string[] {
  const start = protocol.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const rest = protocol.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /));
  return [...section.matchAll(/^\| *`?([a-z0-9_]+)`?[ |]/gm)]
    .map((m) => m[1]!)
    .filter((key) => key !== 'code' && key !== 'frame');
}

const sorted = (values: Iterable<unknown>) => [...values].map(String).sort();

describe('the SDK against docs/asyncapi.yaml', () => {
  it('knows every event type', () => {
    expect(sorted(EVENT_TYPES)).toEqual(sorted(messages.event.payload.properties.type.enum));
  });

  it('knows every error code', () => {
    expect(sorted(ERROR_CODES)).toEqual(sorted(messages.error.payload.properties.code.enum));
  });

  it('has an action for every closing code', () => {
    for (const code of messages.closing.payload.properties.code.enum as number[]) {
      expect(Object.keys(CLOSE_CODES), `close code ${code}`).toContain(String(code));
    }
  });

  it('sends exactly the client frames and understands exactly the server frames', () => {
    expect(sorted(CLIENT_FRAME_TYPES)).toEqual(sorted(frameTypes('sendClientFrame')));
    expect(sorted(CONTROL_FRAME_TYPES)).toEqual(sorted(frameTypes('receiveServerFrame')));
  });

  it('accepts every server frame with only the fields the document requires', () => {
    const sample: Record<string, unknown> = { string: 'x', integer: 1, boolean: true, object: { online: [], version: 0 } };
    for (const name of frameTypes('receiveServerFrame')) {
      const message = Object.values(messages).find((m: Yaml) => m.payload.properties.type.const === name);
      const frame: Record<string, unknown> = { type: name };
      for (const field of message.payload.required as string[]) {
        if (field === 'type') continue;
        const schema = message.payload.properties[field];
        frame[field] = sample[schema.type ?? (schema.$ref?.endsWith('position') ? 'integer' : 'string')];
      }
      expect(decodeFrame(frame).kind, `${name} ${JSON.stringify(frame)}`).toBe('control');
    }
  });

  it('decodes a minimal event of every type and reports an unknown one', () => {
    const data: Record<string, unknown> = {
      conversaId: 'c', mensagemId: 'm', status: 'READ', conversa: {}, mensagem: {}, userId: 'u', online: true,
      version: 1, who: 'atendente', instance: 'i', commandId: 'c-1', reason: 'forbidden', text: 't', reactions: [],
      empresaId: 'e', ts: null, waiting: 0, longestWaitMs: 0, windows: [], atendentes: [], atendenteId: 'u',
      kind: 'first_response', dueAt: '2026-11-30T10:05:00Z', startedAt: '2026-11-30T10:00:00Z',
    };
    for (const type of EVENT_TYPES) {
      const where = (EPHEMERAL_EVENT_TYPES as readonly string[]).includes(type) ? { ephemeral: true } : { position: 1 };
      expect(decodeFrame({ type, channel: 'empresa:e', id: 'id', data, ...where, ts: null }).kind, type).toBe('event');
    }
    expect(decodeFrame({ type: 'brand_new', channel: 'empresa:e', id: 'id', data: {}, position: 1, ts: null }).kind).toBe('unknown');
  });

  it('matches the commands, their ids, channels, statuses and the subprotocol', () => {
    const command = messages.command.payload.properties;
    expect(sorted(COMMAND_TYPES)).toEqual(sorted(command.command.enum));
    expect(COMMAND_ID_PATTERN.source).toBe(command.commandId.pattern);
    expect(CHANNEL_PATTERN.source).toBe(asyncapi.components.schemas.channelName.pattern);
    expect(sorted(PRESENCE_STATUSES)).toEqual(sorted(messages.presence.payload.properties.status.enum));
    expect(asyncapi.info.description).toContain(`${SUBPROTOCOL}, bearer.<jwt>`);
  });

  it('reads the presence snapshot with the fields the document gives it', () => {
    const data = messages.presenceSnapshot.payload.properties.data;
    expect(sorted(PAYLOAD_FIELDS.PresenceSnapshot)).toEqual(sorted(Object.keys(data.properties)));
    expect(sorted(PAYLOAD_FIELDS.OnlineUser)).toEqual(sorted(Object.keys(data.properties.online.items.properties)));
  });
});

describe('the SDK against docs/protocol.md', () => {
  it('acts on every close code as the table says', () => {
    const start = protocol.indexOf('\n## Close codes\n');
    const section = protocol.slice(start, protocol.indexOf('\n## ', start + 5));
    const rows = [...section.matchAll(/^\| (\d{4}) \| [^|]+ \| ([^|]+) \|$/gm)];
    expect(rows.length).toBeGreaterThan(5);
    for (const [, code, should] of rows) {
      const text = should!.toLowerCase();
      const expected = text.trim() === '—' ? 'none'
        : text.includes('do not reconnect') || text.includes('do not resend') ? 'stop'
        : text.includes('at once') ? 'immediate'
        : text.includes('new token') ? 'new_token'
        : text.includes('pause') ? 'pause'
        : 'backoff';
      expect(closeAction(Number(code)), `close code ${code}: ${should}`).toBe(expected);
    }
    // and the SDK knows no code the document does not (1006 is the document's "cut without a close frame")
    const documented = rows.map((row) => row[1]).concat('1006');
    expect(sorted(Object.keys(CLOSE_CODES))).toEqual(sorted(documented));
  });

  it('knows every error code of the Errors table', () => {
    expect(sorted(ERROR_CODES)).toEqual(sorted(tableKeys('### Errors')));
  });

  it('knows every command_rejected reason', () => {
    const sentence = protocol.match(/`reason` is one of ([^.]+)\./)![1]!;
    expect(sorted(REJECT_REASONS)).toEqual(sorted([...sentence.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])));
  });

  it('knows every control frame of the Control frames table', () => {
    expect(sorted(CONTROL_FRAME_TYPES)).toEqual(sorted(tableKeys('### Control frames')));
  });
});

describe('the SDK against the schemas module', () => {
  const javaRoot = 'schemas/src/main/java/dev/chatcentral/schemas';
  const records = new Map<string, string[]>();
  for (const dir of ['event', 'command', 'conversa', 'presence', 'metrics']) {
    for (const file of readdirSync(join(repo, javaRoot, dir))) {
      // annotations (`@JsonInclude(...)`) would end a record's component list at their `)`
      const source = read(`${javaRoot}/${dir}/${file}`).replace(/@[\w.]+(\([^)]*\))?\s*/g, '');
      for (const match of source.matchAll(/record (\w+)\(([^)]*)\)/g)) {
        const components = match[2]!.split(',').map((c) => c.trim().split(/\s+/).pop()!).filter(Boolean);
        records.set(match[1]!, components);
      }
    }
  }
  const constants = (path: string) => [...read(path).matchAll(/static final String \w+ = "([^"]+)"/g)].map((m) => m[1]);

  it('types every event payload record with the same fields', () => {
    for (const [name, fields] of Object.entries(PAYLOAD_FIELDS)) {
      expect(records.has(name), `record ${name} in schemas/`).toBe(true);
      expect(sorted(fields), name).toEqual(sorted(records.get(name)!));
    }
    // every record whose name says it is an event payload has a type here
    for (const name of records.keys()) {
      if (name.endsWith('Data')) expect(Object.keys(PAYLOAD_FIELDS), name).toContain(name);
    }
  });

  it('uses the same event types, statuses and error codes as the Java constants', () => {
    expect(sorted(EVENT_TYPES)).toEqual(sorted(constants(`${javaRoot}/event/EventType.java`)));
    expect(sorted(PRESENCE_STATUSES)).toEqual(sorted(constants(`${javaRoot}/presence/PresenceStatus.java`)));
    const wire = [...read(`${javaRoot}/conversa/ConversaStatus.java`).matchAll(/\w+\("([a-z_]+)"\)/g)].map((m) => m[1]);
    expect(sorted(CONVERSA_STATUSES)).toEqual(sorted(wire));
    // comments go first: a constant may have its own javadoc
    const statuses = read(`${javaRoot}/conversa/MensagemStatus.java`).replace(/\/\*[\s\S]*?\*\//g, '').match(/enum MensagemStatus \{\s*([A-Z_,\s]+);/)![1]!;
    expect(sorted(MENSAGEM_STATUSES)).toEqual(sorted(statuses.split(',').map((s) => s.trim())));
    const frames = 'gateway/src/main/java/dev/chatcentral/gateway/delivery/Frames.java';
    expect(sorted(ERROR_CODES)).toEqual(sorted(constants(frames)));
  });
});
