/**
 * LogQL a lookup sends, one function per question, for both shapes Dynamo's logs reach Loki in:
 * - OTLP-fed (`service_name` stream label; `trace_id`, `span_id` and the event's fields such as
 *   `request_id` as structured metadata; the line is the message): a label filter on the
 *   metadata, no parser;
 * - Alloy-shipped JSONL (labels `namespace`, `nvidia_com_dynamo_*`; ids inside the line): a line
 *   filter on the value as the JSON line spells it (cheap, narrows first), then `| json` and a
 *   label filter on the field, so a value that only appears in the message does not match.
 * Field names are the record's keys as Loki's OTLP mapping and its json parser write them:
 * every character outside [A-Za-z0-9_] becomes `_` (`http.request.header.x-request-id` →
 * `http_request_header_x_request_id`); a `span.`/`resource.` TraceQL scope is dropped.
 */
import { quoteString } from './traceql';

export type LogShape = 'otlp' | 'jsonl';

export interface LogSelectors {
  readonly otlp: string;
  readonly jsonl: string;
}

/** What the lines are wanted for: a trace, a span, or a request id under any of `fields`. */
export type LogTarget =
  | { readonly kind: 'trace'; readonly traceId: string }
  | { readonly kind: 'span'; readonly spanId: string }
  | { readonly kind: 'request'; readonly values: readonly string[]; readonly fields: readonly string[] };

/** A record key or attribute name as a Loki label name. */
export function lokiFieldName(name: string): string {
  const bare = name.replace(/^(span|resource)\./, '').replace(/^\./, '');
  const out = bare.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/** RE2 syntax escaped, for a value inside a regex. */
export function regexEscape(v: string): string {
  return v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The value as it appears inside a JSON string in the line (`"` and `\` escaped, control chars as \u). */
function jsonSpelling(v: string): string {
  return JSON.stringify(v).slice(1, -1);
}

/** `a = "v1" or a = "v2" or b = "v1" …`: a label filter expression. */
function anyEqual(fields: readonly string[], values: readonly string[]): string {
  const terms: string[] = [];
  for (const f of fields) for (const v of values) terms.push(`${lokiFieldName(f)} = ${quoteString(v)}`);
  return terms.join(' or ');
}

function lineFilter(values: readonly string[]): string {
  if (values.length === 1) return `|= ${quoteString(jsonSpelling(values[0]!))}`;
  return `|~ ${quoteString(values.map((v) => regexEscape(jsonSpelling(v))).join('|'))}`;
}

function fieldsAndValues(t: LogTarget): { fields: readonly string[]; values: readonly string[] } {
  switch (t.kind) {
    case 'trace':
      return { fields: ['trace_id'], values: [t.traceId] };
    case 'span':
      return { fields: ['span_id'], values: [t.spanId] };
    case 'request': {
      const fields = [...new Set(t.fields.map(lokiFieldName))];
      if (!t.values.length || !fields.length) throw new Error('a request-id log query needs at least one value and one field');
      return { fields, values: t.values };
    }
  }
}

/** The LogQL for one shape and one target. */
export function logQuery(shape: LogShape, selector: string, target: LogTarget): string {
  const { fields, values } = fieldsAndValues(target);
  const filter = anyEqual(fields, values);
  if (shape === 'otlp') return `${selector.trim()} | ${filter}`;
  return `${selector.trim()} ${lineFilter(values)} | json | ${filter}`;
}

/** Both shapes' queries for a target, OTLP first. */
export function logQueries(selectors: LogSelectors, target: LogTarget): Array<{ shape: LogShape; query: string }> {
  return [
    { shape: 'otlp', query: logQuery('otlp', selectors.otlp, target) },
    { shape: 'jsonl', query: logQuery('jsonl', selectors.jsonl, target) },
  ];
}
