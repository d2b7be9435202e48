import * as vscode from 'vscode';
import { addEnvironmentCommand, editEnvironmentCommand, openConnectionSettings, refreshConnections, setCredentials, switchEnvironment } from './backends/register';
import { captureMenu, clearCaptures, openCapturedTrace, startCapture, stopCapture, useCaptureEnvironment } from './capture/register';
import type { CommandHandler, SpanlensContext } from './context';
import { lookupSelection } from './lookup/lookupSelection';
import { lookupRequestId } from './lookup/lookupCommand';
import { openLogFile } from './panels/logFileView';
import { openTraceById } from './panels/openTraceById';
import { openTraceFile } from './panels/tracePanels';
import {
  clearRecentSearches,
  configureHealthEndpoints,
  copyAlertExpression,
  copyTraceId,
  deleteSavedSearch,
  refreshAlerts,
  refreshHealth,
  refreshMetrics,
  showInMetrics,
  refreshSearch,
  cancelSearch,
  refreshServices,
  refreshTargets,
  renameSavedSearch,
  rerunSearch,
  saveSearchCommand,
  searchService,
  searchTraces,
  showProblemCommand,
  useDemoEndpoints,
} from './views/explorer/register';
import { openGettingStarted } from './walkthrough';

/**
 * A handler whose module loads on first use. Spanlens activates with every window
 * (`onStartupFinished`), so what only a command needs — the stack renderer and its YAML, JSON
 * Schema and diff libraries — must not be loaded, nor its top level run, before that command.
 */
function lazy<M>(load: () => Promise<M>, pick: (m: M) => CommandHandler): CommandHandler {
  return async (ctx, ...args) => pick(await load())(ctx, ...args);
}

/** The one command table: every `spanlens.*` command id and its handler. */
export const commandTable: Readonly<Record<string, CommandHandler>> = {
  'spanlens.openTraceFile': openTraceFile,
  'spanlens.openTraceById': openTraceById,
  'spanlens.startCapture': startCapture,
  'spanlens.stopCapture': stopCapture,
  'spanlens.clearCaptures': clearCaptures,
  'spanlens.openCapturedTrace': openCapturedTrace,
  'spanlens.captureMenu': captureMenu,
  'spanlens.useCaptureEnvironment': useCaptureEnvironment,
  'spanlens.renderStack': lazy(() => import('./stack/renderStack'), (m) => m.renderStackCommand),
  'spanlens.validateStack': lazy(() => import('./stack/validateStack'), (m) => m.validateStackCommand),
  'spanlens.stackReview.write': lazy(() => import('./stack/stackReview'), (m) => m.writeReviewed),
  'spanlens.stackReview.cancel': lazy(() => import('./stack/stackReview'), (m) => m.cancelReview),
  'spanlens.stackReview.open': lazy(() => import('./stack/stackReview'), (m) => m.openReviewed),
  'spanlens.setCredentials': setCredentials,
  'spanlens.switchEnvironment': switchEnvironment,
  'spanlens.addEnvironment': addEnvironmentCommand,
  'spanlens.editEnvironment': editEnvironmentCommand,
  'spanlens.refreshConnections': refreshConnections,
  'spanlens.openConnectionSettings': openConnectionSettings,
  'spanlens.searchTraces': searchTraces,
  'spanlens.rerunSearch': rerunSearch,
  'spanlens.refreshSearch': refreshSearch,
  'spanlens.cancelSearch': cancelSearch,
  'spanlens.saveSearch': saveSearchCommand,
  'spanlens.renameSavedSearch': renameSavedSearch,
  'spanlens.deleteSavedSearch': deleteSavedSearch,
  'spanlens.clearRecentSearches': clearRecentSearches,
  'spanlens.searchService': searchService,
  'spanlens.refreshServices': refreshServices,
  'spanlens.refreshAlerts': refreshAlerts,
  'spanlens.refreshTargets': refreshTargets,
  'spanlens.refreshHealth': refreshHealth,
  'spanlens.refreshMetrics': refreshMetrics,
  'spanlens.showInMetrics': showInMetrics,
  'spanlens.copyTraceId': copyTraceId,
  'spanlens.copyAlertExpression': copyAlertExpression,
  'spanlens.showProblem': showProblemCommand,
  'spanlens.configureHealthEndpoints': configureHealthEndpoints,
  'spanlens.useDemoEndpoints': useDemoEndpoints,
  'spanlens.gettingStarted': openGettingStarted,
  'spanlens.lookupSelection': lookupSelection,
  'spanlens.lookupRequestId': lookupRequestId,
  'spanlens.openLogFile': openLogFile,
};

/** Registers every command; a failing handler shows its message instead of failing silently. */
export function registerCommands(ctx: SpanlensContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(ctx, ...args);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        ctx.log.error(`${id} failed: ${msg}`);
        void vscode.window.showErrorMessage(msg);
        return undefined;
      }
    }),
  );
}
