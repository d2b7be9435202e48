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
