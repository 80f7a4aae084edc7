import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/transport/sse-parser.js';

function parse(chunks: string[]): string[] {
  const messages: string[] = [];
  const parser = new SseParser((data) => messages.push(data));
  for (const chunk of chunks) parser.push(chunk);
  return messages;
}

describe('SSE parser', () => {
  it('joins data lines, skips comments and other fields', () => {
    expect(parse([': ping\n\nid: 17\ndata: {"a":1}\n\nevent: x\ndata:one\ndata: two\n\n'])).toEqual(['{"a":1}', 'one\ntwo']);
  });

  it('handles every line ending, also split between chunks', () => {
    expect(parse(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n', '\n'])).toEqual(['a', 'b', 'c']);
    expect(parse(['da', 'ta: {"x"', ':1}\n', '\n'])).toEqual(['{"x":1}']);
  });

  it('drops a message the stream did not finish', () => {
    expect(parse(['data: complete\n\ndata: cut'])).toEqual(['complete']);
  });
});
