/**
 * The highest position seen per channel (docs/protocol.md "Position"): what a reconnect sends as `since`, and how
 * duplicates are recognised. Positions of one empresa only grow, so an event at or below the one held has been
 * processed already (a replay overlapping live delivery, a copy from the transport we are leaving, the shared
 * `since` of SSE and long-poll) and is dropped.
 */
export class Positions {
  private readonly byChannel = new Map<string, number>();

  get(channel: string): number | undefined {
    return this.byChannel.get(channel);
  }

  /** An event: true when it is above the position held (then held), false when it must be dropped. */
  accept(channel: string, position: number): boolean {
    const held = this.byChannel.get(channel);
    if (held !== undefined && position <= held) return false;
    this.byChannel.set(channel, position);
    return true;
  }

  /** `subscribed` or a long-poll answer: every later event of the channel is above `position`. */
  advance(channel: string, position: number): void {
    const held = this.byChannel.get(channel);
    if (held === undefined || position > held) this.byChannel.set(channel, position);
  }

  /**
   * `subscribed` with `recovered: false`: nothing was replayed and the server continues from `position`. It may
   * be *below* the one held when the log was recreated (the `since` was beyond its end); holding on to the old
   * one would then drop every new event, so the server's word wins.
   */
  restart(channel: string, position: number): void {
    this.byChannel.set(channel, position);
  }

  forget(channel: string): void {
    this.byChannel.delete(channel);
  }

  /** The one `since` of an SSE stream or a long-poll: the lowest position of the channels, or none if one has none. */
  sharedSince(channels: readonly string[]): number | undefined {
    let since: number | undefined;
    for (const channel of channels) {
      const position = this.byChannel.get(channel);
      if (position === undefined) continue;
      since = since === undefined ? position : Math.min(since, position);
    }
    return since;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.byChannel);
  }
}
