import * as vscode from 'vscode';
import type { CommandHandler } from './context';

/** The Getting Started walkthrough of package.json (`contributes.walkthroughs`). */
export const WALKTHROUGH_ID = 'spanlens.gettingStarted';

/**
 * The context key the walkthrough's "Connect" step completes on: true once a health check found
 * at least one backend of the active environment answering. VS Code only counts it when it turns
 * true after the walkthrough was registered, so the step also completes on opening the
 * Connections view or on its own buttons.
 */
export const CONNECTED_CONTEXT = 'spanlens.connected';

/** `spanlens.gettingStarted`: opens the walkthrough on the Welcome page. */
export const openGettingStarted: CommandHandler = async (ctx) => {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ctx.extension.extension.id}#${WALKTHROUGH_ID}`, false);
};
