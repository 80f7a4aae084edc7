import type { InstanceStatusData, RealtimeEvent } from '@chat-central/client';
import { useChannel } from '@chat-central/react';
import { useState } from 'react';

/** The empresa's WhatsApp numbers that need someone's attention, by instance: closed, refused, or silent. */
export type InstanceAlertsState = Readonly<Record<string, InstanceStatusData>>;

/**
 * The alerts after one `instance_status`: a number that says `open` and is not silent needs nothing, so it leaves the
 * list; a silence ending (`silent: false`) clears only the silence.
 */
export function applyInstanceStatus(state: InstanceAlertsState, data: InstanceStatusData): InstanceAlertsState {
  const { [data.instance]: _previous, ...others } = state;
  const attention = data.state !== 'open' || data.silent === true;
  return attention ? { ...others, [data.instance]: data } : others;
}

function time(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' }) : '?';
}

/** What an atendente reads about one number. */
export function describeInstance(data: InstanceStatusData): string {
  if (data.silent) {
    return `Número ${data.instance} diz estar conectado mas não envia nada desde ${time(data.lastWebhookAt)}: mensagens de clientes podem não estar chegando. Reconecte a instância no Evolution.`;
  }
  const reason = data.statusReason ? ` (${data.statusReason})` : '';
  return data.state === 'connecting' ? `Número ${data.instance} reconectando ao WhatsApp${reason}…` : `Número ${data.instance} desconectado do WhatsApp${reason}.`;
}

/** The numbers of the empresa that are down or silent, always on top while they are. */
export function InstanceAlerts({ empresaId }: { empresaId: string }) {
  const [alerts, setAlerts] = useState<InstanceAlertsState>({});
  useChannel(`empresa:${empresaId}`, (event: RealtimeEvent) => {
    if (event.type === 'instance_status') setAlerts((held) => applyInstanceStatus(held, event.data as InstanceStatusData));
  });
  const held = Object.values(alerts);
  if (held.length === 0) return null;
  return (
    <ul className="instance-alerts" data-testid="instance-alerts" role="alert">
      {held.map((data) => (
        <li key={data.instance} data-testid="instance-alert" data-instance={data.instance} data-silent={data.silent === true}>
          {describeInstance(data)}
        </li>
      ))}
    </ul>
  );
}
