import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMMAND_ID_PATTERN } from '../src/protocol/frames.js';
import { randomUuid } from '../src/uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuid', () => {
  it('makes version 4 UUIDs, valid commandIds, also where crypto.randomUUID is missing (http pages)', () => {
    const insecure = { getRandomValues: (array: Uint8Array<ArrayBuffer>) => webcrypto.getRandomValues(array) };
    const ids = Array.from({ length: 200 }, () => randomUuid(insecure));
    for (const id of ids) {
      expect(id).toMatch(V4);
      expect(id).toMatch(COMMAND_ID_PATTERN);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomUuid()).toMatch(V4);
  });
});
