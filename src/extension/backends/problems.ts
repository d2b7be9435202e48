/**
 * Which backend failures get a notification, and what it offers. No `vscode` import:
 * unit-tested in Node; labels.ts shows them.
 */
import type { BackendErrorKind } from '../../core/backends/errors';
import type { BackendKind } from '../../core/backends/options';
import type { BackendHealth } from '../../core/backends/types';

export interface BackendProblem {
  readonly backend: BackendKind;
  readonly kind: BackendErrorKind | 'notReady';
  /** The core's English message (URL redacted), shown after the localized headline. */
  readonly message: string;
}

export type BackendAction = 'setCredentials' | 'openSettings';

/** 401/403 offers credentials; a wrong endpoint or setting offers the settings. */
export function actionsFor(kind: BackendProblem['kind']): BackendAction[] {
  if (kind === 'auth') return ['setCredentials', 'openSettings'];
  if (kind === 'unreachable' || kind === 'config' || kind === 'timeout') return ['openSettings'];
  return [];
}

/**
 * What a manual refresh reports beyond the tree: a backend refusing the credentials, since the
 * fix (Set Credentials…) is not visible from the tree row itself.
 */
export function refreshProblems(results: readonly BackendHealth[]): BackendProblem[] {
  return results.filter((r) => r.state === 'unauthorised').map((r) => ({ backend: r.backend, kind: r.errorKind ?? 'auth', message: r.error ?? '' }));
}
