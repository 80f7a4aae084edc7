/**
 * Where commands wait until the gateway has them (the seed's "Buffer de Mensagens Offline"). A command is put here
 * before it is first sent and deleted only when the gateway accepted or refused it, so a command typed offline,
 * or sent just before the connection dropped, is sent again after the reconnect with the **same** `commandId`;
 * the gateway and the stream-processor act on a `commandId` once, so a resend can never act twice.
 */
import type { CommandBody } from '../protocol/frames.js';

export interface BufferedCommand {
  commandId: string;
  body: CommandBody;
  /** whose command it is (`empresaId/userId` of the token): never sent with another user's token */
  owner: string;
  /** epoch ms; with `seq`, the order the app issued the commands in, which is the order they are sent in */
  createdAt: number;
  seq: number;
}

export interface CommandBuffer {
  /** Every command not yet accepted or refused, any owner, in any order. */
  load(): Promise<BufferedCommand[]>;
  put(command: BufferedCommand): Promise<void>;
  delete(commandId: string): Promise<void>;
}

/** The default: lives as long as the page. Use `IndexedDbCommandBuffer` to survive a reload or a closed tab. */
export class MemoryCommandBuffer implements CommandBuffer {
  private readonly commands = new Map<string, BufferedCommand>();

  async load(): Promise<BufferedCommand[]> {
    return [...this.commands.values()];
  }

  async put(command: BufferedCommand): Promise<void> {
    this.commands.set(command.commandId, command);
  }

  async delete(commandId: string): Promise<void> {
    this.commands.delete(commandId);
  }
}
