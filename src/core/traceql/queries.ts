/**
 * The TraceQL Spanlens writes itself: built-in Dynamo examples (span names from Dynamo's span
 * catalog — the frontend's `http-request`, a worker's `handle_payload`; service names are left
 * to the user, as every deployment picks its own) and the per-service queries of the Services view.
 */
import { quote } from './complete';

export type ExampleId = 'slowRequests' | 'workerErrors' | 'oneModel' | 'slowFirstToken';

export interface TraceqlExample {
  readonly id: ExampleId;
  /** Complete queries run as they are; one ending in an operator asks for a value first. */
  readonly query: string;
}

export const DYNAMO_EXAMPLES: readonly TraceqlExample[] = [
  { id: 'slowRequests', query: '{ name = "http-request" && duration > 2s }' },
  { id: 'workerErrors', query: '{ name = "handle_payload" && status = error }' },
  // Ends at the value so the completion lists the models Tempo has seen.
  { id: 'oneModel', query: '{ name = "http-request" && span.model = ' },
  { id: 'slowFirstToken', query: '{ name = "http-request" && span.ttft_ms > 1000 }' },
];

/** A service's traces in Tempo; `errors` keeps only those with an error span in that service. */
export function serviceQuery(service: string, errors = false): string {
  const svc = `resource.service.name = ${quote(service)}`;
  return errors ? `{ ${svc} && status = error }` : `{ ${svc} }`;
}
