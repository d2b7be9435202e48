/** Small readers for response pieces the three backends share; they throw TraceFormatError. */
import { TraceFormatError } from '../model/errors';
import type { HttpResponse } from './http';
import type { BuildInfo, ReadyState } from './types';

export function asStringArray(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new TraceFormatError(where, 'an array of strings');
  return v as string[];
}

/** The `PrometheusVersion` object (bare for Tempo and Loki, inside `data` for Prometheus). */
export function asBuildInfo(v: unknown, where: string): BuildInfo {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TraceFormatError(where, 'a build info object');
  const o = v as Record<string, unknown>;
  if (typeof o.version !== 'string') throw new TraceFormatError(where ? `${where}.version` : 'version', 'a version string');
  const str = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  return { version: o.version, revision: str('revision'), branch: str('branch'), goVersion: str('goVersion'), buildDate: str('buildDate') };
}

/** `/ready`-style text endpoints: 200 = ready, 503 = not ready with the reason as text. */
export function readyState(res: HttpResponse): ReadyState {
  const message = res.body.toString('utf8').trim().slice(0, 500);
  return { ready: res.status >= 200 && res.status < 300, message };
}

/**
 * The `{"status","data","warnings","infos","errorType","error"}` envelope Prometheus wraps every
 * /api/v1 answer in and Loki its query answers. `error` holds the
 * server's own text when status is "error"; a body that is no envelope throws.
 */
export type Envelope =
  | { readonly status: 'success'; readonly data: unknown; readonly warnings: string[]; readonly infos: string[] }
  | { readonly status: 'error'; readonly error: string };

export function readEnvelope(value: unknown): Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TraceFormatError('', 'expected the {"status","data"} envelope');
  const v = value as { status?: unknown; data?: unknown; error?: unknown; errorType?: unknown; warnings?: unknown; infos?: unknown };
  if (v.status === 'error') {
    // Only strings are shown: String() of a parsed object can throw (a "toString" key) or say nothing.
    const error = typeof v.error === 'string' ? v.error : typeof v.errorType === 'string' ? v.errorType : 'error';
    return { status: 'error', error };
  }
  if (v.status !== 'success') throw new TraceFormatError('status', 'expected "success" or "error"');
  return { status: 'success', data: v.data, warnings: strings(v.warnings), infos: strings(v.infos) };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/**
 * Sets `key` as an own property even when it is "__proto__": keys come from servers, and a
 * plain assignment of that one would replace the object's prototype instead of storing data.
 */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
