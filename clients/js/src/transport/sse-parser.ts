/**
 * The parts of the `text/event-stream` format the gateway uses: `data:` lines make a message, a blank line ends
 * it, `:` lines are comments (its keepalive). `id:` is not needed: every frame carries its position in its JSON.
 * Chunks may end anywhere, even between the `\r` and `\n` of one line end.
 */
export class SseParser {
  private pending = '';
  private data: string[] = [];

  constructor(private readonly onMessage: (data: string) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    for (;;) {
      const end = this.pending.search(/[\r\n]/);
      if (end < 0) return;
      // a trailing '\r' may be the first half of '\r\n': wait for the next chunk
      if (this.pending[end] === '\r' && end === this.pending.length - 1) return;
      const line = this.pending.slice(0, end);
      const width = this.pending.startsWith('\r\n', end) ? 2 : 1;
      this.pending = this.pending.slice(end + width);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onMessage(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    this.data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
}
