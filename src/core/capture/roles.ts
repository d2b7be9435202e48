/** The capture's three listeners, by role (its own module, so the extension host can name them without loading the server). */
export type PortRole = 'grpc' | 'http' | 'query';

export const ROLE_LABEL: Readonly<Record<PortRole, string>> = { grpc: 'OTLP/gRPC', http: 'OTLP/HTTP', query: 'Tempo/Loki query API' };
