/**
 * The page's one handle on VS Code (acquireVsCodeApi may be called once per page), with state
 * that survives hide/show and window reloads. Every view of the webview application uses it.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();

/** Typed access to the page's state: each entry declares what it keeps. */
export function getState<S extends object>(): Partial<S> {
  const s = vscode.getState();
  return typeof s === 'object' && s !== null ? (s as Partial<S>) : {};
}

export function patchState<S extends object>(patch: Partial<S>): void {
  vscode.setState({ ...getState<S>(), ...patch });
}
