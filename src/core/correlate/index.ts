/**
 * Request-id lookup, for the panel, the CLI and the entry points: detect an id, look it up in
 * Tempo, Loki and Prometheus at once, tie its log lines to spans.
 */
export { detectId, type DetectedId, type DetectResult, type IdKind } from './detect';
export { findIds, findModeFor, type IdMatch } from './findIds';
export { LINK_NONE, LINK_SPAN_ID, LINK_TIME, linkLogs, linkSpansOf, mergeLogs, type LinkSpans, type LogLinks } from './link';
export { startLookup, type KeyMetricPanel, type LookupOptions, type LookupPart, type LookupResult, type LookupRun, type LookupTrace, type LookupUpdate, type PartError, type PartState, type PartUpdate } from './lookup';
export { metricsWindow, type MetricsWindow } from './promql';
export { DEFAULT_SETTINGS, lookupSettings, type LookupSettings } from './settings';
