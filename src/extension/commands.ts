import * as vscode from 'vscode';
import { openConnectionSettings, refreshConnections, setCredentials, switchEnvironment } from './backends/register';
import type { CommandHandler, SpanlensContext } from './context';
import { lookupSelection } from './lookup/lookupSelection';
import { openTraceById } from './panels/openTraceById';
import { openTraceFile } from './panels/tracePanels';
import { renderStackCommand } from './stack/renderStack';
import { validateStackCommand } from './stack/validateStack';

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
  'spanlens.lookupSelection': lookupSelection,
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
