/**
 * How the empresa's customer service is doing, live: customers waiting and the longest wait, first response and
 * handling averages in the current minute and hour, SLA breaches, and what awaits each atendente. Read once over
 * REST, then replaced by every `service_metrics` event (useServiceMetrics). Atendentes are named as presence knows
 * them while online; there is no directory of atendentes, so one offline shows by id.
 */
import type { ServiceFigures, ServiceMetrics, ServiceWindow } from '@chat-central/client';
import { usePresenceSystem, useServiceMetrics } from '@chat-central/react';
import { useEffect, useState } from 'react';

const number = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });

/**
 * While a customer waits the analytics application writes new figures every few seconds; older ones then mean it
 * stopped. With nobody waiting and nothing happening it writes none, so old figures are only quiet.
 */
const STALE_AFTER_MS = 60_000;

/** The clock, read again every `everyMs` while mounted. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Milliseconds as people read a wait: `45 s`, `2 min 5 s`, `1 h 3 min`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `sum / count` as a duration; a dash when nothing was counted. */
function average(sum: number, count: number): string {
  return count === 0 ? '—' : duration(sum / count);
}

function windowOf(figures: ServiceMetrics, size: string): ServiceFigures | null {
  return figures.windows.find((w: ServiceWindow) => w.size === size)?.empresa ?? null;
}

function PerWindow({ id, title, minute, hour, show }: {
  id: string;
  title: string;
  minute: ServiceFigures | null;
  hour: ServiceFigures | null;
  show: (figures: ServiceFigures) => string;
}) {
  return (
    <article className="metric-card" data-testid={`service-${id}`}>
      <h3>{title}</h3>
      <dl>
        <dt>Último minuto</dt>
        <dd data-testid={`service-${id}-minute`}>{minute ? show(minute) : '—'}</dd>
        <dt>Última hora</dt>
        <dd data-testid={`service-${id}-hour`}>{hour ? show(hour) : '—'}</dd>
      </dl>
    </article>
  );
}

export function ServiceMonitoring() {
  const { figures, error } = useServiceMetrics();
  return (
    <section className="service-monitoring" data-testid="service-monitoring">
      <h2>Atendimento ao vivo</h2>
      {error && (
        <p className="error" role="alert">
          Não foi possível ler os números do atendimento: {error.message}
        </p>
      )}
      {figures === null ? (
        !error && <p>Carregando números do atendimento…</p>
      ) : figures.ts === null ? (
        <p className="hint" data-testid="service-empty">
          Ainda não há números do atendimento desta empresa: eles aparecem assim que o serviço de análise os calcular.
        </p>
      ) : (
        <ServiceFiguresView figures={figures} ts={figures.ts} />
      )}
    </section>
  );
}

function ServiceFiguresView({ figures, ts }: { figures: ServiceMetrics; ts: string }) {
  const minute = windowOf(figures, '1m');
  const hour = windowOf(figures, '1h');
  const { onlineUsers } = usePresenceSystem(figures.empresaId);
  const nameOf = (atendenteId: string) => onlineUsers.find((user) => user.userId === atendenteId)?.name ?? atendenteId;
  const now = useNow(10_000);
  const computedAt = new Date(ts).toLocaleTimeString('pt-BR');
  return (
    <>
      <p className="hint">Calculado às {computedAt}; atualiza sozinho a cada poucos segundos.</p>
      {figures.waiting > 0 && now - Date.parse(ts) > STALE_AFTER_MS && (
        <p className="error" role="alert" data-testid="service-stale">
          Há clientes aguardando e nenhum número novo desde {computedAt}: o serviço de análise pode estar parado.
        </p>
      )}
      <div className="metric-grid">
        <article className="metric-card" data-testid="service-waiting">
          <h3>Clientes aguardando</h3>
          <p className="value" data-testid="service-waiting-value">
            {number.format(figures.waiting)}
          </p>
          <p>
            Maior espera: <strong data-testid="service-longest-wait">{figures.waiting === 0 ? '—' : duration(figures.longestWaitMs)}</strong>
          </p>
        </article>
        <PerWindow id="first-response" title="Primeira resposta (média)" minute={minute} hour={hour}
          show={(f) => average(f.firstResponseMsSum, f.firstResponses)} />
        <PerWindow id="handling" title="Tempo de atendimento (média)" minute={minute} hour={hour}
          show={(f) => average(f.handlingMsSum, f.closed)} />
        <PerWindow id="sla-breaches" title="Violações de SLA" minute={minute} hour={hour} show={(f) => number.format(f.slaBreaches)} />
      </div>
      <h3>Carga por atendente</h3>
      {figures.atendentes.length === 0 ? (
        <p className="hint">Nenhum atendente com conversa aberta agora.</p>
      ) : (
        <table className="atendente-load" data-testid="atendente-load">
          <thead>
            <tr>
              <th>Atendente</th>
              <th>Abertas</th>
              <th>Aguardando resposta</th>
              <th>Maior espera</th>
            </tr>
          </thead>
          <tbody>
            {figures.atendentes.map((load) => (
              <tr key={load.atendenteId} data-testid="atendente-load-row" data-atendente={load.atendenteId}>
                <td>{nameOf(load.atendenteId)}</td>
                <td>{number.format(load.open)}</td>
                <td>{number.format(load.awaitingReply)}</td>
                <td>{load.awaitingReply === 0 ? '—' : duration(load.longestAwaitingMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
