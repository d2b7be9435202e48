import * as vscode from 'vscode';
import { BACKEND_LABEL } from '../../core/backends/options';
import type { Connections, OverallState } from '../backends/connections';
import { overallLabel, stateLabel } from '../backends/labels';
import { Disposable } from '../dispose';

const ICON: Readonly<Record<OverallState, string>> = {
  ok: '$(pass)',
  degraded: '$(warning)',
  down: '$(debug-disconnect)',
  checking: '$(sync~spin)',
  unknown: '$(circle-large-outline)',
};

/** The active environment and the overall state; a click switches environment. */
export class EnvironmentStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('spanlens.environment', vscode.StatusBarAlignment.Left, 40));

  constructor(private readonly connections: Connections) {
    super();
    this.item.name = vscode.l10n.t('Spanlens Environment');
    this.item.command = 'spanlens.switchEnvironment';
    this._register(connections.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  private update(): void {
    const overall = this.connections.overall();
    const env = this.connections.environment;
    this.item.text = `${ICON[overall]} ${env}`;
    const lines = this.connections.entries().map((h) => `${BACKEND_LABEL[h.backend]}: ${stateLabel(h.state)}${'version' in h && h.version ? ` (${h.version})` : ''}`);
    this.item.tooltip = [vscode.l10n.t('Spanlens environment "{0}": {1}', env, overallLabel(overall)), ...lines, '', vscode.l10n.t('Click to switch environment')].join('\n');
    this.item.backgroundColor = overall === 'degraded' || overall === 'down' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Spanlens environment "{0}": {1}', env, overallLabel(overall)) };
  }
}
