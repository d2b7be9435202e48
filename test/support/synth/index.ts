/** Deterministic synthetic traces for benches, contract fakes and the demo. */
export { generateTrace, DEFAULT_SERVICES, type DynamoServices, type GenerateTraceOptions } from './dynamo';
export { traceIdFor, spanIdFor, requestIdFor, dynamoRequestIdFor, Prng } from './prng';
