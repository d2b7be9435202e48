import type { FromWebview } from '../../src/core/protocol';

/** What the webview keeps across hide/show and window reloads (see getState/setState). */
export interface ViewState {
  readonly source?: string;
  readonly selectedTrace?: number;
  readonly view?: { readonly t0: number; readonly t1: number; readonly scrollTop: number };
  readonly selectedBox?: number;
}

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export const vscode: VsCodeApi = acquireVsCodeApi();

export function patchState(patch: Partial<ViewState>): void {
  vscode.setState({ ...(vscode.getState() ?? {}), ...patch });
}
