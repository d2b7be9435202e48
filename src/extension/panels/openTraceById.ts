import * as vscode from 'vscode';
import { normalizeTraceIdInput } from '../../core/model/traceIdInput';
import { activeConnections } from '../backends/register';
import type { CommandHandler, SpanlensContext } from '../context';
import { askForId } from '../idInput';
import { tracePanels } from './tracePanels';

const RECENT_KEY = 'spanlens.recentTraceIds';
const MAX_RECENT = 15;

function recent(ctx: SpanlensContext): string[] {
  const v = ctx.extension.globalState.get<unknown>(RECENT_KEY);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && /^[0-9a-f]{32}$/.test(x)) : [];
}

async function remember(ctx: SpanlensContext, id: string): Promise<void> {
  await ctx.extension.globalState.update(RECENT_KEY, [id, ...recent(ctx).filter((x) => x !== id)].slice(0, MAX_RECENT));
}

/** Asks for a trace id: what is typed (checked as you type) or one of the recent ids. */
function askTraceId(ctx: SpanlensContext, environment: string): Promise<string | undefined> {
  return askForId({
    title: vscode.l10n.t('Open Trace by ID ({0})', environment),
    placeholder: vscode.l10n.t('A trace id: 1–32 hex digits'),
    recent: recent(ctx).map((id) => ({ label: id, description: vscode.l10n.t('recent'), id })),
    check: (typed) => {
      const id = normalizeTraceIdInput(typed);
      return id ? { label: id, description: vscode.l10n.t('Open this trace'), id } : { label: `$(error) ${vscode.l10n.t('Not a trace id: use 1–32 hex digits (0-9, a-f).')}` };
    },
  });
}

/**
 * `Spanlens: Open Trace by ID…`: from an argument (a link, a search result) or a quick input;
 * from the active environment's Tempo unless the caller names the environment.
 */
export const openTraceById: CommandHandler = async (ctx, arg, env) => {
  const environment = typeof env === 'string' && env !== '' ? env : activeConnections().environment;
  let id = typeof arg === 'string' ? normalizeTraceIdInput(arg) : undefined;
  if (typeof arg === 'string' && !id) throw new Error(vscode.l10n.t('"{0}" is not a trace id: use 1–32 hex digits.', arg.slice(0, 80)));
  id ??= await askTraceId(ctx, environment);
  if (!id) return;
  await remember(ctx, id);
  tracePanels().show({ kind: 'tempo', environment, traceId: id });
};
