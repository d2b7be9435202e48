import type * as vscode from 'vscode';

/**
 * A VS Code CancellationToken as the AbortSignal the core's HTTP layer takes. Dispose the result
 * when the work ends so the token's listener does not outlive it.
 */
export function abortSignalFor(token: vscode.CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  if (!token) return { signal: ac.signal, dispose: () => undefined };
  if (token.isCancellationRequested) ac.abort();
  const sub = token.onCancellationRequested(() => ac.abort());
  return { signal: ac.signal, dispose: () => sub.dispose() };
}
