/**
 * Every parser the fuzzer drives. A new parser registers with one line here (its target built
 * with the helpers beside it: seeds, parse, typed errors, model checks).
 */
import type { FuzzTarget } from '../harness';
import { captureLogqlTarget, captureLogsJsonTarget, captureLogsProtoTarget, captureTraceqlTarget, captureTracesJsonTarget, captureTracesProtoTarget } from './capture';
import { detectIdTarget, dynamoHealthTarget, dynamoJsonlTarget, exactJsonTarget, traceqlCheckTarget } from './more';
import { lokiLabelsTarget, lokiMatrixTarget, lokiStreamsTarget, prometheusTarget, tempoSearchTarget } from './backends';
import {
  jaegerTarget,
  jsonBytesTarget,
  otlpJsonTarget,
  otlpProtoV1Target,
  otlpProtoV2Target,
  tempoJsonV1Target,
  tempoJsonV2Target,
  traceBodyTarget,
  zipkinTarget,
} from './traces';
import { lokiLogEntriesTarget } from './logs';

export const TARGETS: readonly FuzzTarget[] = [
  otlpJsonTarget,
  tempoJsonV1Target,
  tempoJsonV2Target,
  otlpProtoV1Target,
  otlpProtoV2Target,
  jaegerTarget,
  zipkinTarget,
  traceBodyTarget,
  jsonBytesTarget,
  lokiStreamsTarget,
  lokiMatrixTarget,
  lokiLabelsTarget,
  prometheusTarget,
  tempoSearchTarget,
  captureTracesProtoTarget, captureTracesJsonTarget, captureLogsProtoTarget, captureLogsJsonTarget, captureTraceqlTarget, captureLogqlTarget,
  dynamoHealthTarget,
  exactJsonTarget,
  traceqlCheckTarget,
  dynamoJsonlTarget,
  detectIdTarget,
  lokiLogEntriesTarget,
];

export function targetNamed(name: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target "${name}"; targets: ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}
