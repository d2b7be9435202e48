import * as vscode from 'vscode';
import { CAPTURE_ENVIRONMENT } from '../../core/backends/environments';
import { ROLE_LABEL } from '../../core/capture/roles';
import { normalizeTraceIdInput } from '../../core/model/traceIdInput';
import { activeConnections } from '../backends/register';
import { setActiveEnvironment } from '../config';
import type { CommandHandler, SpanlensContext } from '../context';
import { CapturesView } from './capturesView';
import { CaptureController, CaptureError } from './controller';
import { CaptureStatusBar } from './statusBar';

/**
 * The local capture in the extension: its controller (worker thread), the status bar item, the
 * Captures view, and the command handlers (the command table in commands.ts lists them).
 */

let current: CaptureController | undefined;

export function registerCapture(ctx: SpanlensContext): vscode.Disposable {
  const workerPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'captureWorker.js').fsPath;
  const controller = new CaptureController(workerPath, ctx.extension.globalStorageUri.fsPath, ctx.log);
  current = controller;
  const status = new CaptureStatusBar(controller);
  const view = new CapturesView(controller);
  return vscode.Disposable.from(view, status, controller, {
    dispose: () => {
      if (current === controller) current = undefined;
    },
  });
}

function controller(): CaptureController {
  if (!current) throw new Error(vscode.l10n.t('The local capture is not ready yet.'));
  return current;
}

/** Why the capture did not start, as a user reads it: which port, what it is for, who holds it. */
function startFailure(err: unknown): string {
  if (err instanceof CaptureError && err.failure.portInUse) {
    const p = err.failure.portInUse;
    const role = ROLE_LABEL[p.role];
    return p.owner
      ? vscode.l10n.t('Local capture could not start: port {0} ({1}) is already in use by {2} (pid {3}).', String(p.port), role, p.owner.command, String(p.owner.pid))
      : vscode.l10n.t('Local capture could not start: port {0} ({1}) is already in use by another program.', String(p.port), role);
  }
  return vscode.l10n.t('Local capture could not start: {0}', err instanceof Error ? err.message : String(err));
}

/** `spanlens.startCapture`: starts, says where to send OTLP, and offers to switch to the `capture` environment. */
export const startCapture: CommandHandler = async () => {
  const c = controller();
  let started;
  try {
    started = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the local capture…') }, () => c.start());
  } catch (err) {
    const changePorts = vscode.l10n.t('Change Ports');
    const retry = vscode.l10n.t('Retry');
    const choice = await vscode.window.showErrorMessage(startFailure(err), changePorts, retry);
    if (choice === changePorts) await vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.capture.ports');
    else if (choice === retry) await vscode.commands.executeCommand('spanlens.startCapture');
    return;
  }
  const { grpc, http } = started.ports;
  const where = vscode.l10n.t('Local capture is receiving OTLP on 127.0.0.1:{0} (gRPC) and http://127.0.0.1:{1} (HTTP).', String(grpc), String(http));
  const env = activeConnections().environment;
  const copy = vscode.l10n.t('Copy Dynamo Settings');
  const switchTo = vscode.l10n.t('Switch to "capture"');
  const choice = await vscode.window.showInformationMessage(env === CAPTURE_ENVIRONMENT ? where : `${where} ${vscode.l10n.t('Switch Spanlens to the capture environment to look at what arrives?')}`, ...(env === CAPTURE_ENVIRONMENT ? [] : [switchTo]), copy);
  if (choice === switchTo) await setActiveEnvironment(CAPTURE_ENVIRONMENT);
  else if (choice === copy) {
    await vscode.env.clipboard.writeText(`DYN_LOGGING_JSONL=true OTEL_EXPORT_ENABLED=1 OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://localhost:${grpc}`);
  }
};

/** `spanlens.stopCapture`. */
export const stopCapture: CommandHandler = async () => {
  const c = controller();
  if (!c.running) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The local capture is not running.'));
    return;
  }
  await c.stop();
};

/** `spanlens.clearCaptures`: everything captured goes (also from the folder it is kept in). */
export const clearCaptures: CommandHandler = async () => {
  const c = controller();
  if (!c.running) return;
  const clear = vscode.l10n.t('Clear');
  const n = c.stats?.traces ?? 0;
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Remove all {0} captured traces and their logs?', String(n)), { modal: true }, clear);
  if (choice === clear) await c.clear();
};

/**
 * `spanlens.openCapturedTrace`: opens a captured trace with Open Trace by ID, from the `capture`
 * environment (offering to switch when another one is active, since that is where it lives).
 */
export const openCapturedTrace: CommandHandler = async (_ctx, arg) => {
  const id = typeof arg === 'string' ? normalizeTraceIdInput(arg) : undefined;
  if (!id) return;
  if (activeConnections().environment !== CAPTURE_ENVIRONMENT) {
    const switchTo = vscode.l10n.t('Switch and Open');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Captured traces are read from the "capture" environment; "{0}" is active. Switch to "capture" and open the trace?', activeConnections().environment),
      switchTo,
    );
    if (choice !== switchTo) return;
    if (!(await setActiveEnvironment(CAPTURE_ENVIRONMENT))) return;
  }
  await vscode.commands.executeCommand('spanlens.openTraceById', id);
};

/** `spanlens.captureMenu`: the status bar item's command. */
export const captureMenu: CommandHandler = async () => {
  const c = controller();
  if (!c.running) {
    await vscode.commands.executeCommand('spanlens.startCapture');
    return;
  }
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { label: `$(list-tree) ${vscode.l10n.t('Show Captures')}`, command: 'spanlens.captures.focus' },
    ...(activeConnections().environment !== CAPTURE_ENVIRONMENT ? [{ label: `$(server-environment) ${vscode.l10n.t('Switch to the capture environment')}`, command: 'spanlens.useCaptureEnvironment' }] : []),
    { label: `$(clear-all) ${vscode.l10n.t('Clear Captures…')}`, command: 'spanlens.clearCaptures' },
    { label: `$(debug-stop) ${vscode.l10n.t('Stop Local Capture')}`, command: 'spanlens.stopCapture' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Local capture') });
  if (pick) await vscode.commands.executeCommand(pick.command);
};

/** `spanlens.useCaptureEnvironment`. */
export const useCaptureEnvironment: CommandHandler = async () => {
  await setActiveEnvironment(CAPTURE_ENVIRONMENT);
};
