import * as vscode from 'vscode';
import { detectId, type DetectFailure, type IdKind } from '../../core/correlate/detect';
import type { SpanlensContext } from '../context';
import { askForId } from '../idInput';

/**
 * The quick input of `Spanlens: Look Up Request ID…`: what is typed, checked as it is typed (and
 * said what kind of id it is), or one of the recent ids. Recent ids are kept in global state,
 * newest first; ids that reach the lookup any other way (a link, a hover, the terminal) are
 * remembered through `rememberRequestId` too.
 */
const RECENT_KEY = 'spanlens.recentRequestIds';
const MAX_RECENT = 20;

function recentIds(ctx: SpanlensContext): string[] {
  const v = ctx.extension.globalState.get<unknown>(RECENT_KEY);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && detectId(x).ok) : [];
}

/** Puts `id` first in the recent ids (its canonical spelling, so one id is listed once). */
export async function rememberRequestId(ctx: SpanlensContext, id: string): Promise<void> {
  const d = detectId(id);
  if (!d.ok) return;
  const value = d.id.value;
  await ctx.extension.globalState.update(RECENT_KEY, [value, ...recentIds(ctx).filter((x) => x !== value)].slice(0, MAX_RECENT));
}

export function kindText(kind: IdKind): string {
  switch (kind) {
    case 'trace':
      return vscode.l10n.t('trace id');
    case 'span':
      return vscode.l10n.t('span id');
    case 'uuid':
      return vscode.l10n.t('Dynamo request id (UUID)');
    case 'text':
      return vscode.l10n.t('request id (x-request-id)');
  }
}

function failureText(reason: DetectFailure): string {
  switch (reason) {
    case 'empty':
      return vscode.l10n.t('Type or paste an id.');
    case 'tooLong':
      return vscode.l10n.t('Too long for a request id (at most 512 characters).');
    case 'control':
      return vscode.l10n.t('An id cannot hold line breaks or control characters.');
  }
}

/** Asks for an id; resolves to its canonical spelling, or undefined when the user gives up. */
export async function askRequestId(ctx: SpanlensContext): Promise<string | undefined> {
  const id = await askForId({
    title: vscode.l10n.t('Look Up Request ID'),
    placeholder: vscode.l10n.t('A trace id, span id, Dynamo request_id, x-request-id or traceparent'),
    recent: recentIds(ctx).map((r) => {
      const d = detectId(r);
      return { label: r, description: d.ok ? kindText(d.id.kind) : '', detail: vscode.l10n.t('recent'), id: r };
    }),
    check: (typed) => {
      const d = detectId(typed);
      return d.ok ? { label: d.id.value, description: vscode.l10n.t('Look up this {0}', kindText(d.id.kind)), id: d.id.value } : { label: `$(error) ${failureText(d.reason)}` };
    },
  });
  if (id) void rememberRequestId(ctx, id);
  return id;
}
