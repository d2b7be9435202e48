import type * as vscode from 'vscode';

/**
 * What every command handler receives: the extension's lifetime (subscriptions, secrets,
 * storage) and the shared log. Commands stay free functions of this, so the one command
 * table in commands.ts can list them all.
 */
export interface SpanlensContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
}

/** A command handler: receives the context first, then VS Code's own arguments. */
export type CommandHandler = (ctx: SpanlensContext, ...args: unknown[]) => unknown;
