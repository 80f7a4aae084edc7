/**
 * The supervisor's view of the queue: the conversas waiting for an atendente, longest waiting first; each
 * atendente's open conversas against their capacity, with their presence; and the SLAs at risk since the page
 * opened. Read over REST and again on the events that change it (useEmpresaQueue).
 */
import { duration, useNow } from './ServiceMonitoring';
import { loadFill, sortedRisks, type SlaRisk } from './queueState';
import { useEmpresaQueue, type EmpresaQueueOptions } from './useEmpresaQueue';

const MODES: Record<string, string> = {
  off: 'desligada',
  round_robin: 'rodízio',
  least_loaded: 'menos carregado primeiro',
};

const STATUSES: Record<string, string> = {
  disponivel: 'Disponível',
  ausente: 'Ausente',
  ocupado: 'Ocupado',
};

const KINDS: Record<string, string> = {
  first_response: 'primeira resposta',
  next_response: 'próxima resposta',
};

function RiskItem({ risk, now, name }: { risk: SlaRisk; now: number; name: string }) {
  const left = Date.parse(risk.dueAt) - now;
  return (
    <li className={risk.breached || left <= 0 ? 'sla-breached' : 'sla-warning'} data-testid="sla-risk" data-conversa={risk.conversaId}>
      <strong>{risk.breached || left <= 0 ? `Vencido há ${duration(Math.max(0, -left))}` : `Vence em ${duration(left)}`}</strong>{' '}
      <span>
        {KINDS[risk.kind] ?? risk.kind} de {name} na conversa <code>{risk.conversaId.slice(0, 8)}</code>
      </span>
    </li>
  );
}

export function QueuePanel(options: EmpresaQueueOptions) {
  const { queue, receivedAt, error, risks } = useEmpresaQueue(options);
  const now = useNow(1000);
  // waits count on the gateway's clock: its `ts`, plus the time since it answered on this browser's
  const serverNow = queue && receivedAt !== null ? Date.parse(queue.ts) + (now - receivedAt) : now;
  const names = new Map(queue?.atendentes.items.map((a): [string, string] => [a.userId, a.name ?? a.userId]));
  const atRisk = sortedRisks(risks);

  return (
    <section className="queue-panel" data-testid="queue-panel">
      <h2>Fila de espera</h2>
      {error && (
        <p className="error" role="alert">
          Não foi possível ler a fila: {error.message}
        </p>
      )}
      {queue === null ? (
        !error && <p>Carregando a fila…</p>
      ) : (
        <>
          <p className="hint" data-testid="queue-mode">
            Distribuição automática: {MODES[queue.assignment.mode] ?? `desconhecida (${queue.assignment.mode})`}
            {queue.assignment.automatic ? '' : ' — as conversas esperam alguém assumir.'}
          </p>
          <div className="metric-grid">
            <article className="metric-card" data-testid="queue-waiting">
              <h3>Aguardando atendente</h3>
              <p className="value" data-testid="queue-waiting-total">
                {queue.waiting.total}
              </p>
              {queue.waiting.total > queue.waiting.items.length && (
                <p className="hint" data-testid="queue-waiting-more">
                  Mostrando as {queue.waiting.items.length} que esperam há mais tempo.
                </p>
              )}
              <ol className="waiting-list">
                {queue.waiting.items.map((item) => (
                  <li key={item.conversaId} data-testid="queue-waiting-item" data-conversa={item.conversaId}>
                    <span className="contact">{item.contactName ?? item.remoteJid.replace(/@.*$/, '')}</span>{' '}
                    <span className="wait">há {duration(Math.max(0, serverNow - Date.parse(item.waitingSince)))}</span>
                  </li>
                ))}
              </ol>
            </article>
            <article className="metric-card" data-testid="queue-atendentes">
              <h3>Carga dos atendentes</h3>
              {queue.atendentes.items.length === 0 && <p className="hint">Nenhum atendente online ou com conversas abertas.</p>}
              <ul className="load-list">
                {queue.atendentes.items.map((a) => {
                  const over = a.open > a.capacity;
                  return (
                    <li
                      key={a.userId}
                      data-testid="queue-atendente"
                      data-user={a.userId}
                      className={[a.online ? 'online' : 'offline', a.available ? 'available' : '', over ? 'over-capacity' : ''].filter(Boolean).join(' ')}
                    >
                      <span className="name">{a.name ?? a.userId}</span>{' '}
                      <span className="presence" data-testid="queue-atendente-presence">
                        {a.online ? (a.status === null ? 'Online' : STATUSES[a.status] ?? a.status) : 'Offline'}
                      </span>{' '}
                      <span
                        className="load-bar"
                        role="meter"
                        aria-label={`Carga de ${a.name ?? a.userId}`}
                        aria-valuemin={0}
                        aria-valuemax={a.capacity}
                        aria-valuenow={a.open}
                      >
                        <span className="load-fill" data-testid="queue-atendente-fill" style={{ width: `${Math.round(loadFill(a.open, a.capacity) * 100)}%` }} />
                      </span>{' '}
                      <span className="load" data-testid="queue-atendente-load">
                        {a.open}/{a.capacity}
                      </span>
                    </li>
                  );
                })}
              </ul>
              {queue.atendentes.truncated && <p className="hint">Mostrando os primeiros {queue.atendentes.limit} atendentes.</p>}
            </article>
          </div>
        </>
      )}
      <h3>SLAs em risco</h3>
      {atRisk.length === 0 ? (
        <p className="hint" data-testid="sla-none">
          Nenhum prazo de resposta em risco desde que esta página abriu.
        </p>
      ) : (
        <ul className="sla-risks">
          {atRisk.map((risk) => (
            <RiskItem key={risk.conversaId} risk={risk} now={serverNow} name={names.get(risk.atendenteId) ?? risk.atendenteId} />
          ))}
        </ul>
      )}
    </section>
  );
}
