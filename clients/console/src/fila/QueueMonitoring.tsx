/**
 * The seed's QueueMonitoring, for supervisors: the empresa's live service figures (ServiceMonitoring), its queue with
 * each atendente's load against capacity and the SLAs at risk (QueuePanel), the pipeline's backlog (consumer lag per
 * topic), records processed per minute, error %, the DLQ with a redrive of the empresa's own dead letters,
 * atendentes online and connections per gateway node, each with its trend over the last hour; and this browser's own
 * connection metrics.
 */
import { RestError, useChatCentral, useConnectionMetrics, useQueueMetrics } from '@chat-central/react';
import { useState, type ReactNode } from 'react';
import { QueuePanel } from './QueuePanel';
import { ServiceMonitoring } from './ServiceMonitoring';
import { Sparkline } from './Sparkline';

export const REDRIVE_PATH = '/api/v1/dlq/redrive';

const number = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });

function MetricCard({ id, title, value, values, children }: { id: string; title: string; value: string; values: number[]; children?: ReactNode }) {
  return (
    <article className="metric-card" data-testid={`metric-${id}`}>
      <h3>{title}</h3>
      <p className="value" data-testid={`metric-${id}-value`}>
        {value}
      </p>
      <Sparkline values={values} label={title} />
      {children}
    </article>
  );
}

export function QueueMonitoring({ intervalMs }: { intervalMs?: number }) {
  const { rest } = useChatCentral();
  const metrics = useQueueMetrics(intervalMs === undefined ? {} : { intervalMs });
  const own = useConnectionMetrics();
  const [redrive, setRedrive] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const report = metrics.report;

  const redriveDlq = async () => {
    setRedrive({ busy: true, message: null });
    try {
      const answer = await rest.post<{ redriven: number }>(REDRIVE_PATH, {});
      setRedrive({ busy: false, message: `${answer.redriven} mensagens reenviadas para processamento.` });
      await metrics.refresh();
    } catch (error) {
      const reason = error instanceof RestError && error.status === 403 ? 'apenas supervisores podem reprocessar a DLQ' : (error as Error).message;
      setRedrive({ busy: false, message: `Falhou: ${reason}` });
    }
  };

  return (
    <section className="queue-monitoring" data-testid="queue-monitoring">
      <ServiceMonitoring />
      <QueuePanel />
      <h2>Monitoramento da fila</h2>
      {metrics.error && (
        <p className="error" role="alert">
          Não foi possível atualizar as métricas: {metrics.error.message}
        </p>
      )}
      {!report ? (
        <p>Carregando métricas…</p>
      ) : (
        <>
          <p className="hint">Atualizado às {new Date(report.ts).toLocaleTimeString('pt-BR')}; tendências da última hora.</p>
          <div className="metric-grid">
            <MetricCard id="queue-size" title="Tamanho da fila" value={number.format(report.queueSize)} values={report.history.map((p) => p.queueSize)}>
              <table className="lag">
                <thead>
                  <tr>
                    <th>Tópico</th>
                    <th>Atraso</th>
                  </tr>
                </thead>
                <tbody>
                  {report.lag.map((lag) => (
                    <tr key={lag.topic} data-testid="topic-lag">
                      <td>{lag.topic}</td>
                      <td>{number.format(lag.lag)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </MetricCard>
            <MetricCard
              id="processing-rate"
              title="Taxa de processamento"
              value={`${number.format(report.processingRate)}/min`}
              values={report.history.map((p) => p.processingRate)}
            />
            <MetricCard id="error-rate" title="Taxa de erro" value={`${number.format(report.errorRate)}%`} values={report.history.map((p) => p.errorRate)} />
            <MetricCard id="dlq-size" title="DLQ (falhas, todas as empresas)" value={number.format(report.dlqSize)} values={report.history.map((p) => p.dlqSize)}>
              <button type="button" data-testid="redrive-button" disabled={redrive.busy || report.dlqSize === 0} onClick={() => void redriveDlq()}>
                Reprocessar DLQ
              </button>
              {redrive.message && <p data-testid="redrive-result">{redrive.message}</p>}
            </MetricCard>
            <MetricCard
              id="online-atendentes"
              title="Atendentes online"
              value={number.format(report.onlineAtendentes)}
              values={report.history.flatMap((p) => (p.onlineAtendentes === null ? [] : [p.onlineAtendentes]))}
            />
            <article className="metric-card" data-testid="metric-connections">
              <h3>Conexões por nó</h3>
              <ul>
                {report.connections.map(({ node, connections }) => (
                  <li key={node} data-testid="node-connections" data-node={node}>
                    <span className="node">{node}</span> <strong>{number.format(connections)}</strong>{' '}
                    <Sparkline values={report.history.map((p) => p.connections[node] ?? 0)} label={`Conexões em ${node}`} />
                  </li>
                ))}
              </ul>
            </article>
          </div>
        </>
      )}
      <h3>Esta conexão</h3>
      <p className="hint">Medida por este navegador, atualizada a cada 10 s.</p>
      <dl className="own-metrics" data-testid="own-metrics">
        <dt>Conexões estabelecidas</dt>
        <dd>{own.totalConnections}</dd>
        <dt>Reconexões/min</dt>
        <dd>{number.format(own.reconnectionRate)}</dd>
        <dt>Latência média</dt>
        <dd>{own.averageLatency === null ? '—' : `${number.format(own.averageLatency)} ms`}</dd>
        <dt>Erros/min</dt>
        <dd>{number.format(own.errorRate)}</dd>
      </dl>
    </section>
  );
}
