/**
 * Backend response decoders, driven the way the clients drive them: the body as JSON text, the
 * envelope where the API has one, then every decoder of that API on the same data (a fuzzed
 * body may look like any of its answers). A body that is not JSON is the client's NotJsonError.
 */
import { asBuildInfo, asStringArray, readEnvelope } from '../../../src/core/backends/decode';
import { decodeLokiQueryData, decodeLokiSeries } from '../../../src/core/backends/loki/decode';
import { decodeAlerts, decodeExemplars, decodeLabelSets, decodeRules, decodeTargets } from '../../../src/core/backends/prometheus/decode';
import { decodeSearch, decodeTagNamesV1, decodeTagScopes, decodeTagValuesV1, decodeTagValuesV2 } from '../../../src/core/backends/tempo/decode';
import { decodePromData } from '../../../src/core/formats/promMatrix';
import { TraceFormatError } from '../../../src/core/model/errors';
import { CATEGORIZE_LABELS } from '../../../src/core/backends/loki/client';
import { startLokiFake } from '../../fakes/loki';
import { startTempoFake } from '../../fakes/tempo';
import type { FuzzInput, FuzzTarget } from '../harness';
import { checkLabelSets, checkLogLines, checkSearch, checkSeries, checkStrings, checkTimeMs } from '../invariants';
import { fixtureTexts, generatedLogs, generatedTraces, served, type SeedRequest } from '../seeds';

/** The harness's stand-in for HttpClient.parseJson's NotJsonError. */
class NotJson extends Error {}

const isTyped = (e: unknown): boolean => e instanceof TraceFormatError || e instanceof NotJson;

function json(input: FuzzInput): unknown {
  const t = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  try {
    return JSON.parse(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
  } catch {
    throw new NotJson();
  }
}

type Decoder = (data: unknown) => unknown;
type Checker = (model: unknown) => void;

/**
 * Runs every decoder on the data; returns `[name, result]` for the ones that returned. A decoder
 * that throws TraceFormatError is a typed outcome for it; anything else propagates.
 */
function each(data: unknown, decoders: Readonly<Record<string, Decoder>>): [string, unknown][] {
  const out: [string, unknown][] = [];
  let typed = 0;
  for (const [name, d] of Object.entries(decoders)) {
    try {
      out.push([name, d(data)]);
    } catch (e) {
      if (!(e instanceof TraceFormatError)) throw e;
      typed++;
    }
  }
  if (out.length === 0 && typed > 0) throw new TraceFormatError('', 'no decoder accepted the data');
  return out;
}

function checkEach(checks: Readonly<Record<string, Checker>>): Checker {
  return (m) => {
    for (const [name, result] of m as [string, unknown][]) checks[name]!(result);
  };
}

/** The envelope's data through `decode`; an error envelope yields its text, which must be a string. */
function dataOf(value: unknown, decode: Decoder): unknown {
  const env = readEnvelope(value);
  if (env.status === 'error') {
    if (typeof env.error !== 'string') throw new Error('envelope error is not a string');
    return undefined;
  }
  return decode(env.data);
}

/** Checks a result unless it came from an error envelope. */
const unlessError = (check: Checker): Checker => (m) => (m === undefined ? undefined : check(m));

function lokiTarget(name: string, requests: (start: bigint, end: bigint) => SeedRequest[]): FuzzTarget {
  return {
    name,
    input: 'text',
    async seeds() {
      const entries = generatedLogs();
      const start = entries.reduce((m, e) => (e.ts < m ? e.ts : m), entries[0]!.ts) - 1_000_000_000n;
      const end = entries.reduce((m, e) => (e.ts > m ? e.ts : m), 0n) + 1_000_000_000n;
      const fake = await startLokiFake({ entries, authEnabled: false });
      return (await served(fake, requests(start, end))).map((b) => b.toString('utf8'));
    },
    parse: (input) => each(json(input), { query: (v) => dataOf(v, decodeLokiQueryData) }),
    typed: isTyped,
    check: checkEach({
      query: unlessError((m) => {
        const d = m as { kind: string; lines?: unknown; series?: unknown };
        if (d.kind === 'streams') checkLogLines(d.lines);
        else checkSeries(d.series);
      }),
    }),
  };
}

const q = (query: string, start: bigint, end: bigint, extra = ''): string =>
  `/loki/api/v1/query_range?query=${encodeURIComponent(query)}&start=${start}&end=${end}${extra}`;

export const lokiStreamsTarget = lokiTarget('loki-streams', (s, e) => [
  { path: q('{service_name=~".+"}', s, e, '&limit=40'), headers: CATEGORIZE_LABELS },
  { path: q('{service_name=~".+"} | json', s, e, '&limit=20&direction=forward'), headers: CATEGORIZE_LABELS },
  q('{service_name=~".+"}', s, e, '&limit=20'),
]);

export const lokiMatrixTarget = lokiTarget('loki-matrix', (s, e) => [
  q('count_over_time({service_name=~".+"}[1s])', s, e, '&step=1'),
  q('sum by (service_name) (rate({service_name=~".+"}[5s]))', s, e, '&step=2'),
  `/loki/api/v1/query?query=${encodeURIComponent('count_over_time({service_name=~".+"}[1h])')}&time=${e}`,
]);

export const lokiLabelsTarget: FuzzTarget = {
  name: 'loki-labels',
  input: 'text',
  async seeds() {
    const fake = await startLokiFake({ entries: generatedLogs(), authEnabled: false });
    const range = `start=0&end=${BigInt(Date.now()) * 2_000_000n}`;
    const bodies = await served(fake, [
      `/loki/api/v1/labels?${range}`,
      `/loki/api/v1/label/service_name/values?${range}`,
      `/loki/api/v1/series?match[]=${encodeURIComponent('{service_name=~".+"}')}&${range}`,
      '/loki/api/v1/status/buildinfo',
    ]);
    return [...bodies.map((b) => b.toString('utf8')), '{"status":"success"}'];
  },
  parse: (input) =>
    each(json(input), {
      buildInfo: (v) => asBuildInfo(v, ''),
      labels: (v) => dataOf(v, (d) => asStringArray(d ?? [], 'data')),
      series: (v) => dataOf(v, decodeLokiSeries),
    }),
  typed: isTyped,
  check: checkEach({ buildInfo: () => undefined, labels: unlessError(checkStrings), series: unlessError(checkLabelSets) }),
};

/** Prometheus' /api/v1 bodies: the docs' real examples; every decoder runs on each. */
export const prometheusTarget: FuzzTarget = {
  name: 'prometheus',
  input: 'text',
  seeds: async () => fixtureTexts('prometheus'),
  parse: (input) =>
    each(json(input), {
      query: (v) => dataOf(v, (d) => decodePromData(d, 'data')),
      exemplars: (v) => dataOf(v, decodeExemplars),
      series: (v) => dataOf(v, decodeLabelSets),
      targets: (v) => dataOf(v, decodeTargets),
      rules: (v) => dataOf(v, decodeRules),
      alerts: (v) => dataOf(v, decodeAlerts),
      buildInfo: (v) => dataOf(v, (d) => asBuildInfo(d, 'data')),
      labels: (v) => dataOf(v, (d) => asStringArray(d ?? [], 'data')),
    }),
  typed: isTyped,
  check: checkEach({
    query: unlessError((m) => checkSeries((m as { series: unknown }).series)),
    exemplars: unlessError((m) =>
      (m as { exemplars: { timeMs: number; traceId?: string }[] }[]).forEach((s, i) =>
        s.exemplars.forEach((e, j) => {
          checkTimeMs(e.timeMs, `[${i}].exemplars[${j}].timeMs`);
          if (e.traceId !== undefined && !/^[0-9a-f]{32}$/.test(e.traceId)) throw new Error(`[${i}].exemplars[${j}].traceId`);
        }),
      ),
    ),
    series: unlessError(checkLabelSets),
    targets: () => undefined,
    rules: () => undefined,
    alerts: () => undefined,
    buildInfo: () => undefined,
    labels: unlessError(checkStrings),
  }),
};

/** Tempo's search, tag and build-info answers, as the fake serves them for the generated traces. */
export const tempoSearchTarget: FuzzTarget = {
  name: 'tempo-search',
  input: 'text',
  async seeds() {
    const fake = await startTempoFake({ traces: generatedTraces().map((otlp) => ({ otlp })) });
    const s = (query: string, extra = ''): string => `/api/search?q=${encodeURIComponent(query)}&start=0&end=4000000000${extra}`;
    const bodies = await served(fake, [
      s('{}', '&limit=5'),
      s('{ status = error }', '&spss=5'),
      s('{ resource.service.name = "dynamo-frontend" } | select(span.x_request_id)'),
      '/api/search/tags',
      '/api/v2/search/tags',
      '/api/search/tag/service.name/values',
      '/api/v2/search/tag/resource.service.name/values',
      '/api/v2/search/tag/status/values',
      '/api/status/buildinfo',
    ]);
    return [...bodies.map((b) => b.toString('utf8')), '{"traces":[],"metrics":{}}'];
  },
  parse: (input) =>
    each(json(input), {
      search: decodeSearch,
      tagScopes: decodeTagScopes,
      tagNamesV1: decodeTagNamesV1,
      tagValuesV2: decodeTagValuesV2,
      tagValuesV1: decodeTagValuesV1,
      buildInfo: (v) => asBuildInfo(v, ''),
    }),
  typed: isTyped,
  check: checkEach({
    search: checkSearch,
    tagScopes: (m) => (m as { tags: unknown }[]).forEach((s) => checkStrings(s.tags)),
    tagNamesV1: (m) => (m as { tags: unknown }[]).forEach((s) => checkStrings(s.tags)),
    tagValuesV2: () => undefined,
    tagValuesV1: () => undefined,
    buildInfo: () => undefined,
  }),
};
