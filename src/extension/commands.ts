import * as vscode from 'vscode';
import { openConnectionSettings, refreshConnections, setCredentials, switchEnvironment } from './backends/register';
import type { CommandHandler, SpanlensContext } from './context';
import { openTraceById } from './panels/openTraceById';
import { openTraceFile } from './panels/tracePanels';
import { renderStackCommand } from './stack/renderStack';
import { validateStackCommand } from './stack/validateStack';
import {
  clearRecentSearches,
  configureHealthEndpoints,
  copyAlertExpression,
  copyTraceId,
  deleteSavedSearch,
  refreshAlerts,
  refreshHealth,
  refreshSearch,
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

/** The one command table: every `spanlens.*` command id and its handler. */
export const commandTable: Readonly<Record<string, CommandHandler>> = {
  'spanlens.openTraceFile': openTraceFile,
  'spanlens.openTraceById': openTraceById,
  'spanlens.renderStack': renderStackCommand,
  'spanlens.validateStack': validateStackCommand,
  'spanlens.setCredentials': setCredentials,
  'spanlens.switchEnvironment': switchEnvironment,
  'spanlens.refreshConnections': refreshConnections,
  'spanlens.openConnectionSettings': openConnectionSettings,
  'spanlens.searchTraces': searchTraces,
  'spanlens.rerunSearch': rerunSearch,
  'spanlens.refreshSearch': refreshSearch,
  'spanlens.saveSearch': saveSearchCommand,
  'spanlens.renameSavedSearch': renameSavedSearch,
  'spanlens.deleteSavedSearch': deleteSavedSearch,
  'spanlens.clearRecentSearches': clearRecentSearches,
  'spanlens.searchService': searchService,
  'spanlens.refreshServices': refreshServices,
  'spanlens.refreshAlerts': refreshAlerts,
  'spanlens.refreshTargets': refreshTargets,
  'spanlens.refreshHealth': refreshHealth,
  'spanlens.copyTraceId': copyTraceId,
  'spanlens.copyAlertExpression': copyAlertExpression,
  'spanlens.showProblem': showProblemCommand,
  'spanlens.configureHealthEndpoints': configureHealthEndpoints,
  'spanlens.useDemoEndpoints': useDemoEndpoints,
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
