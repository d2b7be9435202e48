import * as vscode from 'vscode';
import type { DefaultPanelId } from '../../../core/metrics/panels';
import type { MetricsStrings } from '../../../core/protocol/metrics';

/** The Metrics view's UI text, localized here because webviews have no l10n of their own. */
export function metricsStrings(): MetricsStrings {
  return {
    windowLabel: vscode.l10n.t('Window'),
    minMax: vscode.l10n.t('min {0} · max {1}'),
    noData: vscode.l10n.t('no data in this window'),
    loading: vscode.l10n.t('Loading…'),
    back: vscode.l10n.t('Back to all charts'),
    detailHint: vscode.l10n.t('Click a dot to open the trace of that sample.'),
    exemplar: vscode.l10n.t('Trace {0} · {1} at {2}'),
    exemplarCount: vscode.l10n.t('{0} exemplars'),
    noExemplars: vscode.l10n.t('No exemplars in this window (exemplar storage may be off, or these series carry none).'),
    unconfigured: vscode.l10n.t('Prometheus is not configured for environment "{0}".'),
    configure: vscode.l10n.t('Configure Endpoints'),
    renderStack: vscode.l10n.t('Render a Local Stack'),
    useDemo: vscode.l10n.t('Use the Demo Endpoints'),
    retry: vscode.l10n.t('Try again'),
    noAnswer: vscode.l10n.t('No answer from Spanlens after {0} s.'),
    viewClosed: vscode.l10n.t('The view was closed.'),
    sparklineLabel: vscode.l10n.t('{0}: open the larger chart'),
    chartLabel: vscode.l10n.t('Chart with exemplars'),
  };
}

export function panelTitle(id: DefaultPanelId): string {
  switch (id) {
    case 'requestRate':
      return vscode.l10n.t('Request rate by status');
    case 'ttftP50':
      return vscode.l10n.t('Time to first token p50');
    case 'ttftP95':
      return vscode.l10n.t('Time to first token p95');
    case 'itlP95':
      return vscode.l10n.t('Inter-token latency p95');
    case 'inflight':
      return vscode.l10n.t('Requests in flight');
    case 'queued':
      return vscode.l10n.t('Requests queued');
    case 'gpuUtil':
      return vscode.l10n.t('GPU utilisation');
    case 'gpuTemp':
      return vscode.l10n.t('GPU temperature');
  }
}
