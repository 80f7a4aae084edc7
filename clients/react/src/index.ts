export { ChatCentralProvider, useChatCentral } from './provider.js';
export type { ChatCentral, ChatCentralProviderProps } from './provider.js';
export {
  useChannel,
  useConnectionMetrics,
  useConnectionState,
  useConversationRealtime,
  useOwnUserId,
  usePresenceSystem,
} from './hooks.js';
export type { ConversationRealtime, PresenceSystem } from './hooks.js';
export { QUEUE_METRICS_PATH, useQueueMetrics } from './queue.js';
export type { NodeConnections, QueueMetrics, QueueMetricsPoint, QueueMetricsReport, TopicLag } from './queue.js';
export { SERVICE_METRICS_PATH, useServiceMetrics } from './service.js';
export type { ServiceMetricsState } from './service.js';
export { RestClient, RestError } from './rest.js';
export type { Query, RestClientOptions } from './rest.js';
