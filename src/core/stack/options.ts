/**
 * What a user chooses when rendering a stack, with the defaults that make `docker compose up -d`
 * work next to a Dynamo started as the reference documents it (frontend :8000, workers with
 * DYN_SYSTEM_PORT=8081, KVBM :6880, NIXL :19090).
 */

export type StackProfile = 'compose' | 'k8s';
export const PROFILES: readonly StackProfile[] = ['compose', 'k8s'];

/** The OTLP entry point Dynamo exports to: it fans traces to Tempo and logs to Loki. */
export type CollectorKind = 'otelcol' | 'alloy' | 'none';
export const COLLECTORS: readonly CollectorKind[] = ['otelcol', 'alloy', 'none'];

export interface StackComponents {
  readonly prometheus: boolean;
  readonly alertmanager: boolean;
  readonly grafana: boolean;
  readonly tempo: boolean;
  readonly loki: boolean;
  readonly collector: CollectorKind;
  /** NATS server plus its Prometheus exporter (Dynamo's request plane / event bus). */
  readonly nats: boolean;
  readonly etcd: boolean;
  /** NVIDIA DCGM exporter: opt-in, needs a GPU; under the compose profile `gpu`. */
  readonly dcgm: boolean;
}

/** Host ports the compose profile publishes (container ports are fixed by each image). */
export interface StackPorts {
  readonly grafana: number;
  readonly prometheus: number;
  readonly alertmanager: number;
  readonly tempo: number;
  readonly loki: number;
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
  readonly nats: number;
  readonly natsMonitor: number;
  readonly etcd: number;
  readonly alloy: number;
}

/** Where Prometheus finds Dynamo's own processes (compose profile). */
export interface DynamoTargets {
  /** Host of the Dynamo processes as seen from the containers. */
  readonly host: string;
  readonly frontendPort: number;
  /** One per worker / router / planner system server (DYN_SYSTEM_PORT). */
  readonly systemPorts: readonly number[];
  readonly kvbmPort: number;
  readonly nixlPort: number;
}

export interface StackRetention {
  /** Prometheus duration, e.g. `15d`. */
  readonly prometheus: string;
  /** Go duration (no days), e.g. `72h`: Tempo's block retention. */
  readonly tempo: string;
  /** Multiple of 24h (Loki's index period), e.g. `168h`. */
  readonly loki: string;
}

export interface StackTiming {
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /**
   * For tests and demos only: replaces every alert's `for`. Unset in real stacks, where the
   * rule table's windows apply.
   */
  readonly alertForOverride?: string;
}

export interface AlertLevels {
  readonly warning: number;
  readonly critical: number;
}

/** Alert thresholds; latency ones in seconds, ratios in percent, GPU ones in DCGM's units. */
export interface AlertThresholds {
  readonly ttftP95Seconds: AlertLevels;
  readonly ttftP99Seconds: AlertLevels;
  readonly requestP95Seconds: AlertLevels;
  readonly requestP99Seconds: AlertLevels;
  readonly errorPercent: AlertLevels;
  /** Request rate now as a percentage of the rate 30 minutes ago (lower is worse). */
  readonly requestRateDropPercent: AlertLevels;
  /** Requests still waiting for their first token. */
  readonly queuedRequests: AlertLevels;
  readonly gpuTempCelsius: AlertLevels;
}

export interface K8sOptions {
  /** Namespace of the monitoring stack (Prometheus, Grafana, Tempo, Loki, Alloy). */
  readonly namespace: string;
  /** Namespace the Dynamo graph deployments run in. */
  readonly dynamoNamespace: string;
}

export interface StackOptions {
  readonly profile: StackProfile;
  readonly components: StackComponents;
  readonly ports: StackPorts;
  /** Address the compose profile binds published ports to; loopback keeps the stack private. */
  readonly bindAddress: string;
  readonly dynamo: DynamoTargets;
  readonly retention: StackRetention;
  readonly timing: StackTiming;
  readonly thresholds: AlertThresholds;
  /** Alertmanager sends every alert here, routed by severity. */
  readonly alertWebhookUrl: string;
  readonly k8s: K8sOptions;
}

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly (infer U)[] ? readonly U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export type StackOptionsInput = DeepPartial<Omit<StackOptions, 'profile'>> & { readonly profile: StackProfile };

export const DEFAULT_COMPONENTS: StackComponents = {
  prometheus: true,
  alertmanager: true,
  grafana: true,
  tempo: true,
  loki: true,
  collector: 'otelcol',
  nats: true,
  etcd: true,
  dcgm: false,
};

/** Kubernetes collects logs with Alloy (k8s-monitoring), so that is its default collector. */
export function defaultComponents(profile: StackProfile): StackComponents {
  return profile === 'k8s' ? { ...DEFAULT_COMPONENTS, collector: 'alloy' } : DEFAULT_COMPONENTS;
}

export const DEFAULT_PORTS: StackPorts = {
  grafana: 3000,
  prometheus: 9090,
  alertmanager: 9093,
  tempo: 3200,
  loki: 3100,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  nats: 4222,
  natsMonitor: 8222,
  etcd: 2379,
  alloy: 12345,
};

export const DEFAULT_DYNAMO: DynamoTargets = {
  host: 'host.docker.internal',
  frontendPort: 8000,
  systemPorts: [8081],
  kvbmPort: 6880,
  nixlPort: 19090,
};

export const DEFAULT_RETENTION: StackRetention = { prometheus: '15d', tempo: '72h', loki: '168h' };

export const DEFAULT_TIMING: StackTiming = { scrapeInterval: '5s', evaluationInterval: '10s' };

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  ttftP95Seconds: { warning: 2, critical: 5 },
  ttftP99Seconds: { warning: 5, critical: 10 },
  requestP95Seconds: { warning: 30, critical: 60 },
  requestP99Seconds: { warning: 60, critical: 120 },
  errorPercent: { warning: 5, critical: 20 },
  requestRateDropPercent: { warning: 50, critical: 20 },
  queuedRequests: { warning: 10, critical: 50 },
  gpuTempCelsius: { warning: 85, critical: 90 },
};

export const DEFAULT_K8S: K8sOptions = { namespace: 'monitoring', dynamoNamespace: 'dynamo' };

const DEFAULT_WEBHOOK: Record<StackProfile, string> = {
  compose: 'http://host.docker.internal:9095/alerts',
  k8s: 'http://alert-webhook.monitoring.svc:9095/alerts',
};

/** Options that cannot make a working stack; `problems` lists every reason, one a line. */
export class StackOptionsError extends Error {
  override readonly name = 'StackOptionsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Fills defaults, then checks; throws StackOptionsError listing every problem found. */
export function resolveOptions(input: StackOptionsInput): StackOptions {
  const opts: StackOptions = {
    profile: input.profile,
    components: { ...defaultComponents(input.profile), ...input.components },
    ports: { ...DEFAULT_PORTS, ...input.ports },
    bindAddress: input.bindAddress ?? '127.0.0.1',
    dynamo: {
      ...DEFAULT_DYNAMO,
      ...input.dynamo,
      systemPorts: [...(input.dynamo?.systemPorts ?? DEFAULT_DYNAMO.systemPorts)],
    },
    retention: { ...DEFAULT_RETENTION, ...input.retention },
    timing: { ...DEFAULT_TIMING, ...input.timing },
    thresholds: mergeThresholds(input.thresholds),
    alertWebhookUrl: input.alertWebhookUrl ?? DEFAULT_WEBHOOK[input.profile],
    k8s: { ...DEFAULT_K8S, ...input.k8s },
  };
  const problems = optionProblems(opts);
  if (problems.length) throw new StackOptionsError(problems);
  return opts;
}

function mergeThresholds(input: DeepPartial<AlertThresholds> | undefined): AlertThresholds {
  const out: Record<string, AlertLevels> = {};
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof AlertThresholds)[]) {
    out[key] = { ...DEFAULT_THRESHOLDS[key], ...input?.[key] };
  }
  return out as unknown as AlertThresholds;
}

const PROM_DURATION = /^(?:\d+(?:y|w|d|h|m|s|ms))+$/;
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|ns))+$/;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** Milliseconds in a Prometheus-style duration (`1h30m`, `15d`); NaN when it is not one. */
export function durationMs(text: string): number {
  if (!PROM_DURATION.test(text) && !GO_DURATION.test(text)) return Number.NaN;
  const unit: Record<string, number> = {
    y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000,
    ms: 1, us: 0.001, ns: 0.000001,
  };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|y|w|d|h|m|s)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

export function isPromDuration(text: string): boolean {
  return PROM_DURATION.test(text) && durationMs(text) > 0;
}

export function isGoDuration(text: string): boolean {
  return GO_DURATION.test(text) && durationMs(text) > 0;
}

export function isValidPort(p: unknown): p is number {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
}

/** Every host port the compose profile publishes, by what it serves. */
export function publishedPorts(opts: StackOptions): { name: keyof StackPorts; port: number }[] {
  const c = opts.components;
  const names: (keyof StackPorts)[] = [];
  if (c.grafana) names.push('grafana');
  if (c.prometheus) names.push('prometheus');
  if (c.alertmanager) names.push('alertmanager');
  if (c.tempo) names.push('tempo');
  if (c.loki) names.push('loki');
  if (c.collector !== 'none' || c.tempo) names.push('otlpGrpc', 'otlpHttp');
  if (c.collector === 'alloy') names.push('alloy');
  if (c.nats) names.push('nats', 'natsMonitor');
  if (c.etcd) names.push('etcd');
  return names.map((name) => ({ name, port: opts.ports[name] }));
}

export function optionProblems(o: StackOptions): string[] {
  const problems: string[] = [];
  const c = o.components;
  if (!PROFILES.includes(o.profile)) problems.push(`profile must be one of ${PROFILES.join(', ')}`);
  if (!COLLECTORS.includes(c.collector)) problems.push(`collector must be one of ${COLLECTORS.join(', ')}`);
  if (c.alertmanager && !c.prometheus) problems.push('alertmanager needs prometheus (it only receives its alerts)');
  if (c.collector !== 'none' && !c.tempo && !c.loki) problems.push('a collector needs tempo or loki to send to');
  if (c.loki && c.collector === 'none' && o.profile === 'compose') {
    problems.push('loki needs a collector in the compose profile: Dynamo exports logs over OTLP gRPC only');
  }
  if (o.profile === 'k8s' && c.collector === 'otelcol') {
    problems.push('the k8s profile collects logs with Alloy (k8s-monitoring): choose alloy or none as the collector');
  }
  if (!Object.values(c).some((v) => v === true)) problems.push('choose at least one component');

  for (const [name, port] of Object.entries(o.ports)) {
    if (!isValidPort(port)) problems.push(`port ${name} must be an integer from 1 to 65535 (got ${String(port)})`);
  }
  if (o.profile === 'compose') problems.push(...portClashes(o));
  if (!HOST.test(o.bindAddress)) problems.push(`bind address '${o.bindAddress}' is not a host name or IP address`);

  const d = o.dynamo;
  if (!HOST.test(d.host)) problems.push(`Dynamo host '${d.host}' is not a host name or IP address`);
  for (const [name, port] of [['frontend', d.frontendPort], ['KVBM', d.kvbmPort], ['NIXL', d.nixlPort]] as const) {
    if (!isValidPort(port)) problems.push(`Dynamo ${name} port must be an integer from 1 to 65535`);
  }
  if (!d.systemPorts.length) problems.push('give at least one Dynamo system port (DYN_SYSTEM_PORT)');
  for (const p of d.systemPorts) if (!isValidPort(p)) problems.push(`Dynamo system port ${String(p)} is not a port`);

  if (!isPromDuration(o.retention.prometheus)) problems.push(`Prometheus retention '${o.retention.prometheus}' is not a duration such as 15d`);
  if (!isGoDuration(o.retention.tempo)) problems.push(`Tempo retention '${o.retention.tempo}' is not a duration in hours such as 72h (Tempo has no days)`);
  if (!isPromDuration(o.retention.loki) || durationMs(o.retention.loki) % 86_400_000 !== 0) {
    problems.push(`Loki retention '${o.retention.loki}' must be a whole number of days, such as 168h or 7d`);
  }
  for (const key of ['scrapeInterval', 'evaluationInterval'] as const) {
    if (!isPromDuration(o.timing[key])) problems.push(`${key} '${o.timing[key]}' is not a duration such as 10s`);
  }
  const ov = o.timing.alertForOverride;
  if (ov !== undefined && !(ov === '0s' || isPromDuration(ov))) problems.push(`alertForOverride '${ov}' is not a duration`);

  for (const [name, lv] of Object.entries(o.thresholds) as [string, AlertLevels][]) {
    if (!Number.isFinite(lv.warning) || !Number.isFinite(lv.critical) || lv.warning < 0 || lv.critical < 0) {
      problems.push(`threshold ${name} needs finite, non-negative warning and critical levels`);
    } else if (name === 'requestRateDropPercent' ? lv.critical > lv.warning : lv.critical < lv.warning) {
      problems.push(`threshold ${name}: the critical level must be worse than the warning level`);
    }
  }
  if (!/^https?:\/\/[^\s]+$/.test(o.alertWebhookUrl)) problems.push(`alert webhook '${o.alertWebhookUrl}' is not an http(s) URL`);
  for (const [name, ns] of [['namespace', o.k8s.namespace], ['Dynamo namespace', o.k8s.dynamoNamespace]] as const) {
    if (!DNS_LABEL.test(ns)) problems.push(`Kubernetes ${name} '${ns}' is not a valid namespace name`);
  }
  return problems;
}

/** Published host ports must differ from each other and from the Dynamo ports on the same host. */
function portClashes(o: StackOptions): string[] {
  const seen = new Map<number, string>();
  const problems: string[] = [];
  const claim = (port: number, who: string): void => {
    const prior = seen.get(port);
    if (prior) problems.push(`host port ${port} is used by both ${prior} and ${who}`);
    else seen.set(port, who);
  };
  for (const { name, port } of publishedPorts(o)) claim(port, name);
  if (['host.docker.internal', 'localhost', '127.0.0.1', o.bindAddress].includes(o.dynamo.host)) {
    claim(o.dynamo.frontendPort, 'the Dynamo frontend');
    for (const p of o.dynamo.systemPorts) claim(p, `a Dynamo system port`);
    claim(o.dynamo.kvbmPort, 'Dynamo KVBM');
    claim(o.dynamo.nixlPort, 'Dynamo NIXL telemetry');
  }
  return problems;
}
