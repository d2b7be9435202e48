/**
 * Captured OTLP log records as Loki shows the same records ingested over its OTLP endpoint
 * (Loki's default OTLP mapping): `service_name` and the other well-known resource attributes
 * become stream labels; the remaining resource attributes, scope name/version/attributes, the
 * record's attributes, trace_id, span_id, severity_text/number and observed_timestamp become
 * structured metadata, names sanitized to label names (dots → underscores, nested maps
 * flattened); the line is the body as text; `detected_level` comes from the severity, as Loki
 * 3 adds it. So a query written for Loki finds the same records here.
 */
import type { AttrValue, Attribute } from '../../model/trace';
import type { LogTable } from '../store/logs';
import { SEG, SEG_BITS } from '../store/spans';

const MASK = SEG - 1;

/** Resource attributes Loki indexes as stream labels by default (distributor otlp_config). */
const INDEXED = new Set([
  'service.name',
  'service.namespace',
  'service.instance.id',
  'deployment.environment',
  'deployment.environment.name',
  'cloud.region',
  'cloud.availability_zone',
  'k8s.cluster.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.container.name',
  'container.name',
  'k8s.replicaset.name',
  'k8s.deployment.name',
  'k8s.statefulset.name',
  'k8s.daemonset.name',
  'k8s.cronjob.name',
  'k8s.job.name',
]);

export type LabelMap = Record<string, string>;

/** Prometheus label-name rules, as Loki normalizes OTLP attribute names. */
export function labelName(key: string): string {
  let s = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(s)) s = `key_${s}`;
  return s || '_';
}

/** An AnyValue as Loki writes it into a label or a line (pcommon.Value.AsString). */
export function valueText(v: AttrValue, type?: Attribute['type']): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return type === 'double' && Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

function flatten(into: LabelMap, key: string, v: AttrValue, type?: Attribute['type']): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of Object.keys(v)) flatten(into, `${key}_${labelName(k)}`, v[k]!);
    return;
  }
  into[key] = valueText(v, type);
}

function attrsInto(into: LabelMap, list: readonly Attribute[], skip?: Set<string>): void {
  for (const a of list) {
    if (skip?.has(a.key)) continue;
    flatten(into, labelName(a.key), a.value, a.type);
  }
}

const LEVELS: readonly [number, string][] = [
  [21, 'fatal'],
  [17, 'error'],
  [13, 'warn'],
  [9, 'info'],
  [5, 'debug'],
  [1, 'trace'],
];

function detectedLevel(sevNumber: number, sevText: string): string {
  for (const [min, name] of LEVELS) if (sevNumber >= min) return name;
  const t = sevText.toLowerCase();
  if (/^(fatal|critical|crit)/.test(t)) return 'fatal';
  if (/^(err)/.test(t)) return 'error';
  if (/^(warn)/.test(t)) return 'warn';
  if (/^(info|information|notice)/.test(t)) return 'info';
  if (/^(debug|dbug)/.test(t)) return 'debug';
  if (/^(trace)/.test(t)) return 'trace';
  return 'unknown';
}

export interface LogEntryView {
  readonly row: number;
  readonly ts: bigint;
  readonly line: string;
  readonly stream: LabelMap;
  readonly metadata: LabelMap;
}

/** Per-resource and per-scope label parts, computed once per query. */
export class LogView {
  private readonly streams = new Map<number, { stream: LabelMap; meta: LabelMap }>();
  private readonly scopes = new Map<number, LabelMap>();

  constructor(private readonly table: LogTable) {}

  stream(row: number): LabelMap {
    return this.resourceParts(this.table.segment(row)!.res[row & MASK]!).stream;
  }

  private resourceParts(res: number): { stream: LabelMap; meta: LabelMap } {
    let parts = this.streams.get(res);
    if (!parts) {
      const r = this.table.catalog.resourceModel(res);
      const stream: LabelMap = {};
      const meta: LabelMap = {};
      for (const a of r.attributes) {
        if (INDEXED.has(a.key)) stream[labelName(a.key)] = valueText(a.value, a.type);
        else flatten(meta, labelName(a.key), a.value, a.type);
      }
      if (stream.service_name === undefined) stream.service_name = 'unknown_service';
      parts = { stream, meta };
      this.streams.set(res, parts);
    }
    return parts;
  }

  private scopeParts(scope: number): LabelMap {
    let m = this.scopes.get(scope);
    if (!m) {
      const s = this.table.catalog.scopeModel(scope);
      m = {};
      attrsInto(m, s.attributes);
      if (s.name) m.scope_name = s.name;
      if (s.version) m.scope_version = s.version;
      this.scopes.set(scope, m);
    }
    return m;
  }

  /** The line: the body as text (read straight from the arena, without the record). */
  line(row: number): string {
    const seg = this.table.segment(row)!;
    const i = row & MASK;
    const body = this.table.codec.decode(seg.attrs.data, seg.attrOff[i]!, 1)[0]!;
    return valueText(body.value, body.type);
  }

  entry(row: number): LogEntryView {
    const t = this.table;
    const seg = t.segments[row >>> SEG_BITS]!;
    const i = row & MASK;
    const rec = t.record(row);
    const { stream, meta: resMeta } = this.resourceParts(seg.res[i]!);
    const metadata: LabelMap = {};
    attrsInto(metadata, rec.attributes);
    Object.assign(metadata, this.scopeParts(seg.scope[i]!), resMeta);
    if (rec.observedTime) metadata.observed_timestamp = String(rec.observedTime);
    if (rec.severityNumber) metadata.severity_number = String(rec.severityNumber);
    if (rec.severityText) metadata.severity_text = rec.severityText;
    if (rec.flags) metadata.flags = String(rec.flags);
    if (rec.droppedAttributesCount) metadata.dropped_attributes_count = String(rec.droppedAttributesCount);
    if (rec.eventName) metadata.event_name = rec.eventName;
    if (rec.spanId) metadata.span_id = rec.spanId;
    if (rec.traceId) metadata.trace_id = rec.traceId;
    metadata.detected_level = detectedLevel(rec.severityNumber, rec.severityText);
    return { row, ts: rec.time || rec.observedTime, line: valueText(rec.body, rec.bodyType), stream, metadata };
  }
}
