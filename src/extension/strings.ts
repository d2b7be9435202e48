import * as vscode from 'vscode';
import type { WebviewStrings } from '../core/protocol';

/** The webview's UI text, localized here because webviews have no l10n of their own. */
export function webviewStrings(): WebviewStrings {
  return {
    resetZoom: vscode.l10n.t('Reset zoom'),
    statsLine: vscode.l10n.t('{0} spans · {1} services · {2} errors · {3} · started {4}'),
    duration: vscode.l10n.t('Duration'),
    start: vscode.l10n.t('Start'),
    selfTime: vscode.l10n.t('Self time'),
    service: vscode.l10n.t('Service'),
    kind: vscode.l10n.t('Kind'),
    status: vscode.l10n.t('Status'),
    spanId: vscode.l10n.t('Span ID'),
    parentSpanId: vscode.l10n.t('Parent span ID'),
    traceId: vscode.l10n.t('Trace ID'),
    attributes: vscode.l10n.t('Attributes'),
    resourceAttributes: vscode.l10n.t('Resource attributes'),
    scope: vscode.l10n.t('Instrumentation scope'),
    events: vscode.l10n.t('Events'),
    links: vscode.l10n.t('Links'),
    none: vscode.l10n.t('none'),
    selectSpanHint: vscode.l10n.t('Click a span to see its details.'),
    missingParent: vscode.l10n.t('parent not in this trace'),
    traceOf: vscode.l10n.t('Trace'),
    flameLabel: vscode.l10n.t('Flame graph of the trace'),
    keyboardHelp: vscode.l10n.t('Wheel, W/S or +/− zoom; drag, A/D or Shift+arrows pan; double-click zooms to a span, 0 resets; arrow keys move between spans.'),
    notATrace: vscode.l10n.t('This file cannot be shown as a trace.'),
    retry: vscode.l10n.t('Try again'),
    warnings: vscode.l10n.t('Warnings while reading the file'),
    noAnswer: vscode.l10n.t('No answer from Spanlens after {0} s.'),
    viewClosed: vscode.l10n.t('The view was closed.'),
  };
}
