import * as vscode from 'vscode';
import type { TraceRow } from '../../../core/explorer/traces';
import { formatStart, formatTraceDuration } from './format';

/** The command a trace row runs: the trace view opens a Tempo trace by its 32-hex id. */
export const OPEN_TRACE_COMMAND = 'spanlens.openTraceById';

/**
 * One search result: root service and name, then duration, span count and start. `idPrefix`
 * keeps ids unique when the same trace is listed twice (under a service's recent and error
 * traces).
 */
export function traceItem(row: TraceRow, idPrefix: string): vscode.TreeItem {
  const name = row.rootMissing ? vscode.l10n.t('root span not yet received') : `${row.rootService}: ${row.rootName ?? '?'}`;
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
  item.id = `${idPrefix}/${row.traceId}`;
  const duration = formatTraceDuration(row.durationMs);
  const spans = row.spanCount === undefined ? undefined : vscode.l10n.t('{0} spans', String(row.spanCount));
  item.description = [duration, spans, formatStart(row.startMs)].filter(Boolean).join(' · ');
  item.iconPath = row.errorCount > 0 ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon('pulse');
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendText(name).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Trace ID: {0}', row.traceId)).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Duration: {0}', duration)).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Start: {0}', new Date(row.startMs).toISOString())).appendMarkdown('\n\n');
  if (spans) md.appendText(vscode.l10n.t('{0} spans, {1} with errors, in {2}', String(row.spanCount), String(row.errorCount), row.services.join(', '))).appendMarkdown('\n\n');
  item.tooltip = md;
  item.contextValue = 'spanlens.trace';
  item.command = { command: OPEN_TRACE_COMMAND, title: vscode.l10n.t('Open Trace'), arguments: [row.traceId] };
  item.accessibilityInformation = { label: `${name}, ${item.description}${row.errorCount ? `, ${vscode.l10n.t('has errors')}` : ''}` };
  return item;
}
