/** Shapes every backend client shares. */
import type { BackendErrorKind } from './errors';
import type { BackendKind } from './options';

/** Unix milliseconds; `end` is exclusive where the server allows it. */
export interface TimeRange {
  readonly startMs: number;
  readonly endMs: number;
}

/** The Prometheus `PrometheusVersion` fields all three servers report (Tempo and Loki bare). */
export interface BuildInfo {
  readonly version: string;
  readonly revision?: string;
  readonly branch?: string;
  readonly goVersion?: string;
  readonly buildDate?: string;
}

export interface ReadyState {
  readonly ready: boolean;
  /** The server's own text, e.g. `Ingester not ready: waiting for 15s after being ready`. */
  readonly message: string;
}

export type HealthState = 'ok' | 'unreachable' | 'unauthorised' | 'error';

export interface BackendHealth {
  readonly backend: BackendKind;
  /** Redacted base URL. */
  readonly url: string;
  readonly state: HealthState;
  readonly version?: string;
  /** Round trip of the health probe. */
  readonly latencyMs?: number;
  /** The typed error's message when state is not ok (or the server's not-ready text). */
  readonly error?: string;
  readonly errorKind?: BackendErrorKind | 'notReady';
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}
