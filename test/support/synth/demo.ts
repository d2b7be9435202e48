/**
 * The data the demo's fakes serve (`npm start`): a fixed set of generated Dynamo traces and the
 * logs of their spans. The Tempo and Loki fakes run as separate processes, so both derive it from
 * the same seeds and the same anchor time — the start of the current 5-minute slot unless
 * `--anchor <unix ms>` or SPANLENS_DEMO_ANCHOR_MS says otherwise — and the trace ids in Loki's
 * lines match Tempo's traces. Traces lie 1–50 minutes before the anchor, inside the default
 * "last hour" of every query.
 */
import { parseTraceValue } from '../../../src/core/formats';
import type { Trace } from '../../../src/core/model/trace';
import { generateTrace } from './dynamo';
import { generateLogs, type SynthLogEntry } from './logs';

export interface DemoTrace {
  readonly seed: number;
  /** Spec OTLP/JSON as the generator writes it. */
  readonly otlp: { resourceSpans: unknown[] };
  readonly model: Trace;
}

export interface DemoDataset {
  readonly anchorMs: number;
  readonly traces: readonly DemoTrace[];
  readonly logs: readonly SynthLogEntry[];
}

const SIZES = [12, 40, 85, 150, 300, 600, 1200, 2500, 60, 25, 500, 9];

/**
 * The demo's fixed requests, the same traces demoDataset builds: seed, span count and start (ms
 * from the anchor, 50 down to 6 minutes before it). The live demo (scripts/demo-stack.ts) sends
 * them through the OTel SDK; the README names some of their trace and request ids.
 */
export const DEMO_REQUESTS: readonly { readonly seed: number; readonly spans: number; readonly offsetMs: number }[] = SIZES.map((spans, i) => ({
  seed: 1000 + i,
  spans,
  offsetMs: -(50 - i * 4) * 60_000,
}));

export function demoAnchorMs(argv: readonly string[] = process.argv, now = Date.now()): number {
  const i = argv.indexOf('--anchor');
  const raw = i >= 0 ? argv[i + 1] : process.env.SPANLENS_DEMO_ANCHOR_MS;
  if (raw && /^\d+$/.test(raw)) return Number(raw);
  return Math.floor(now / 300_000) * 300_000;
}

export function demoDataset(anchorMs = demoAnchorMs()): DemoDataset {
  const traces: DemoTrace[] = DEMO_REQUESTS.map(({ spans, seed, offsetMs }) => {
    const startMs = anchorMs + offsetMs;
    const otlp = generateTrace({ spans, seed, startUnixNano: BigInt(startMs) * 1_000_000n });
    const model = parseTraceValue(otlp).traces[0]!;
    return { seed, otlp, model };
  });
  const logs: SynthLogEntry[] = [];
  traces.forEach((t, i) => logs.push(...generateLogs([t.model], { shape: i % 2 ? 'otlp' : 'jsonl', seed: t.seed })));
  return { anchorMs, traces, logs };
}
