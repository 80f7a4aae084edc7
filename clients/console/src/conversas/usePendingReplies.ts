/**
 * Replies the gateway has not taken yet: the `send_message` commands of a conversa still in the SDK's offline
 * buffer (written while disconnected, or waiting for `command_accepted`), and those it refused. Once accepted a
 * reply leaves this list; it comes back as a mensagem (`PENDING`, then its ticks) over the conversa channel.
 */
import { CommandError } from '@chat-central/client';
import { useChatCentral } from '@chat-central/react';
import { useCallback, useEffect, useReducer, useState } from 'react';

export interface PendingReply {
  commandId: string;
  text: string;
  /** why the gateway refused it; absent while it waits */
  failure?: string;
}

export interface PendingReplies {
  replies: PendingReply[];
  /** follows a reply just handed to the SDK */
  track(reply: { commandId: string; text: string }, sent: Promise<unknown>): void;
  dismiss(commandId: string): void;
}

export function usePendingReplies(conversaId: string): PendingReplies {
  const { client } = useChatCentral();
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const [failed, setFailed] = useState<PendingReply[]>([]);

  useEffect(() => {
    const offs = [client.on('commandAccepted', refresh), client.on('commandFailed', refresh), client.on('state', refresh)];
    return () => offs.forEach((off) => off());
  }, [client]);

  const waiting: PendingReply[] = client
    .pendingCommands()
    .flatMap((c) => (c.body.command === 'send_message' && c.body.conversaId === conversaId ? [{ commandId: c.commandId, text: c.body.text }] : []));

  const track = useCallback(
    (reply: { commandId: string; text: string }, sent: Promise<unknown>) => {
      refresh();
      sent.then(refresh, (error: unknown) => {
        if (!(error instanceof CommandError) || error.code !== 'discarded') {
          setFailed((held) => [...held, { ...reply, failure: error instanceof Error ? error.message : String(error) }]);
        }
        refresh();
      });
    },
    [],
  );

  return {
    replies: [...waiting, ...failed],
    track,
    dismiss: (commandId) => setFailed((held) => held.filter((r) => r.commandId !== commandId)),
  };
}
