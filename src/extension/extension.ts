import * as vscode from 'vscode';
import { registerConnections } from './backends/register';
import { registerCapture } from './capture/register';
import { registerCommands } from './commands';
import type { SpanlensContext } from './context';
import { registerIdLinks } from './lookup/idLinks';
import { LogEditorProvider } from './panels/logFileView';
import { TraceEditorProvider } from './panels/traceEditor';
import { registerTracePanels } from './panels/tracePanels';
import { registerExplorer } from './views/explorer/register';

/** Only wires: every feature registers itself and hands back its disposables. */
export function activate(extension: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Spanlens', { log: true });
  const ctx: SpanlensContext = { extension, log };
  try {
    extension.subscriptions.push(
      log,
      ...registerCommands(ctx),
      TraceEditorProvider.register(ctx),
      LogEditorProvider.register(ctx),
      registerTracePanels(ctx),
      registerConnections(ctx),
      registerExplorer(ctx),
      ...registerIdLinks(),
      registerCapture(ctx),
    );
    log.info(`Spanlens ${String(extension.extension.packageJSON.version)} activated`);
  } catch (err) {
    // VS Code does not tell the user when activation throws; say it, then fail as before.
    void vscode.window.showErrorMessage(vscode.l10n.t('Spanlens failed to start: {0}', String(err)));
    throw err;
  }
}

export function deactivate(): void {}
