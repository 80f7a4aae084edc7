import { useChatCentral } from '@chat-central/react';
import { useEffect } from 'react';

/** How long the console waits before starting over after the client gave up on an unreachable gateway. */
export const UNREACHABLE_RETRY_MS = 15_000;

/**
 * After the client gave up (`failed`), the console starts over by itself when that may work: at once when the
 * browser is back online, and every `UNREACHABLE_RETRY_MS` while the gateway was unreachable. The client gives up
 * once every transport's attempts failed (some 45 s), and a gateway can be down longer than that: restarting on a
 * busy machine, or during a deploy. A refusal (an expired token, a client bug) is not tried again: it would repeat.
 */
export function useStartingOver(): void {
  const { client } = useChatCentral();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const online = () => client.state.status === 'failed' && client.connect();
    const off = client.on('state', (state) => {
      clearTimeout(timer);
      if (state.status === 'failed' && state.failure === 'unreachable') timer = setTimeout(() => client.connect(), UNREACHABLE_RETRY_MS);
    });
    globalThis.addEventListener('online', online);
    return () => {
      off();
      clearTimeout(timer);
      globalThis.removeEventListener('online', online);
    };
  }, [client]);
}
