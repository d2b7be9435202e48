import * as vscode from 'vscode';
import type { CaptureStats } from '../../core/capture/server';
import { Disposable } from '../dispose';
import type { CaptureController } from './controller';

/** 1234 → "1.2k": rates and counts in a status bar's width. */
export function compact(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function statsLines(s: CaptureStats): string[] {
  const lines = [
    vscode.l10n.t('{0} traces, {1} spans, {2} log records held ({3} MB)', String(s.traces), String(s.spans), String(s.logRecords), (s.bytes / (1024 * 1024)).toFixed(1)),
    vscode.l10n.t('{0} spans/s, {1} log records/s', compact(s.spansPerSec), compact(s.logsPerSec)),
  ];
  if (s.evicted.traces || s.evicted.logRecords) {
    lines.push(vscode.l10n.t('Evicted to stay within the limits: {0} traces ({1} spans), {2} log records', String(s.evicted.traces), String(s.evicted.spans), String(s.evicted.logRecords)));
  }
  if (s.rejected.spans || s.rejected.logRecords) lines.push(vscode.l10n.t('Rejected as malformed: {0} spans, {1} log records', String(s.rejected.spans), String(s.rejected.logRecords)));
  return lines;
}

/** The capture's state and rate; a click starts it, or opens its menu while it runs. */
export class CaptureStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('spanlens.capture', vscode.StatusBarAlignment.Left, 39));

  constructor(private readonly controller: CaptureController) {
    super();
    this.item.name = vscode.l10n.t('Spanlens Local Capture');
    this.item.command = 'spanlens.captureMenu';
    this._register(controller.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  private update(): void {
    const st = this.controller.state;
    const item = this.item;
    item.backgroundColor = undefined;
    switch (st.kind) {
      case 'stopped':
        item.text = `$(circle-large-outline) ${vscode.l10n.t('Capture off')}`;
        item.tooltip = vscode.l10n.t('Spanlens local capture is off. Click to start receiving OTLP (gRPC :4317, HTTP :4318 by default).');
        break;
      case 'starting':
        item.text = `$(sync~spin) ${vscode.l10n.t('Capture starting')}`;
        item.tooltip = vscode.l10n.t('Starting the local capture…');
        break;
      case 'failed':
        item.text = `$(error) ${vscode.l10n.t('Capture failed')}`;
        item.tooltip = `${st.error.message}\n\n${vscode.l10n.t('Click to try again')}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'running': {
        const s = this.controller.stats;
        const rate = s ? `${compact(s.spansPerSec)} ${vscode.l10n.t('spans/s')} · ${compact(s.logsPerSec)} ${vscode.l10n.t('logs/s')}` : '';
        item.text = `$(record) ${vscode.l10n.t('Capture')}${rate ? ` ${rate}` : ''}`;
        const { ports } = st.started;
        item.tooltip = [
          vscode.l10n.t('Spanlens local capture: OTLP on 127.0.0.1:{0} (gRPC), :{1} (HTTP); Tempo and Loki API on {2}', String(ports.grpc), String(ports.http), st.started.queryUrl),
          ...(s ? statsLines(s) : []),
          '',
          vscode.l10n.t('Click for the capture menu'),
        ].join('\n');
        break;
      }
    }
    item.accessibilityInformation = { label: item.text.replace(/\$\([^)]*\)\s*/g, '') };
  }
}
