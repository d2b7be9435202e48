import * as vscode from 'vscode';
import type { SpanlensContext } from '../context';
import { fileName } from './fileName';
import { webviewOptions } from './traceHtml';
import { TraceView } from './traceView';

export const TRACE_PANEL_VIEW_TYPE = 'spanlens.trace';

/** What the webview keeps in its state so a reloaded window can reopen the same file. */
interface PanelState {
  readonly source?: unknown;
}

const open = new Map<string, vscode.WebviewPanel>();

/** Schemes a revived panel may read: its state comes from the webview, so it is not trusted. */
const REVIVABLE_SCHEMES = new Set(['file', 'vscode-remote']);

function titleFor(uri: vscode.Uri): string {
  return vscode.l10n.t('Trace: {0}', fileName(uri));
}

function attach(ctx: SpanlensContext, panel: vscode.WebviewPanel, uri: vscode.Uri): void {
  const key = uri.toString();
  panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'spanlens.svg');
  new TraceView(ctx, panel, uri);
  open.set(key, panel);
  panel.onDidDispose(() => {
    if (open.get(key) === panel) open.delete(key);
  });
}

/** Opens (or reveals) the trace panel for a file. */
export function showTracePanel(ctx: SpanlensContext, uri: vscode.Uri): void {
  const existing = open.get(uri.toString());
  if (existing) {
    existing.reveal();
    return;
  }
  const panel = vscode.window.createWebviewPanel(TRACE_PANEL_VIEW_TYPE, titleFor(uri), vscode.ViewColumn.Active, webviewOptions(ctx.extension.extensionUri));
  attach(ctx, panel, uri);
}

/** Revives trace panels after a window reload, from the file URI the webview saved in its state. */
export function registerTracePanelSerializer(ctx: SpanlensContext): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(TRACE_PANEL_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined) {
      let uri: vscode.Uri | undefined;
      try {
        if (typeof state?.source === 'string') uri = vscode.Uri.parse(state.source, true);
      } catch {
        uri = undefined;
      }
      if (uri && !REVIVABLE_SCHEMES.has(uri.scheme)) uri = undefined;
      if (!uri) {
        panel.dispose();
        return;
      }
      panel.title = titleFor(uri);
      attach(ctx, panel, uri);
    },
  });
}

/** The `Spanlens: Open Trace File…` command: from a URI (Explorer menu) or a file picker. */
export async function openTraceFile(ctx: SpanlensContext, arg?: unknown): Promise<void> {
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Open Trace'),
      title: vscode.l10n.t('Open a trace file (OTLP, Tempo, Jaeger or Zipkin JSON)'),
      filters: { [vscode.l10n.t('Trace files')]: ['json'], [vscode.l10n.t('All files')]: ['*'] },
    });
    uri = picked?.[0];
  }
  if (uri) showTracePanel(ctx, uri);
}
