import * as vscode from 'vscode';
import { activeConnections } from '../backends/register';
import type { CommandHandler, SpanlensContext } from '../context';
import { webviewOptions } from '../webview/html';
import { fileName } from './fileName';
import { fileToOpen } from './fileToOpen';
import { FileTraceSource } from './sources/fileSource';
import { TraceSourceRegistry } from './sources/registry';
import { SourceSigner, type SourceRef } from './sources/sourceRef';
import { LookupTraceSource } from './sources/lookupSource';
import { TempoTraceSource } from './sources/tempoSource';
import type { TraceSource, TraceSourceDeps } from './sources/traceSource';
import { TracePanelView } from './tracePanelView';

export const TRACE_PANEL_VIEW_TYPE = 'spanlens.trace';

/** Schemes a file source may read when a panel is revived. */
const REVIVABLE_SCHEMES = new Set(['file', 'vscode-remote']);

/**
 * The trace panels of the window: one per source (opening the same trace again reveals it), all
 * sources shared through one registry, and revived after a reload from a signed reference.
 */
export class TracePanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();
  readonly registry = new TraceSourceRegistry();
  readonly signer: SourceSigner;
  private readonly deps: TraceSourceDeps;

  constructor(private readonly ctx: SpanlensContext) {
    this.signer = new SourceSigner(ctx.extension.secrets);
    this.deps = { log: ctx.log, workerPath: vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'traceWorker.js').fsPath };
  }

  /** Makes the source a reference names (not yet loaded); undefined when it names nothing we can read. */
  private make(ref: SourceRef): (() => TraceSource) | undefined {
    if (ref.kind === 'file') {
      let uri: vscode.Uri;
      try {
        uri = vscode.Uri.parse(ref.uri, true);
      } catch {
        return undefined;
      }
      return () => new FileTraceSource(uri, this.deps);
    }
    if (ref.kind === 'lookup') return () => new LookupTraceSource(ref.id, ref.environment, activeConnections(), this.ctx, this.deps);
    return () => new TempoTraceSource(ref.traceId, ref.environment, activeConnections(), this.deps);
  }

  private keyOf(ref: SourceRef): string {
    switch (ref.kind) {
      case 'file':
        return `file:${vscode.Uri.parse(ref.uri, true).toString()}`;
      case 'tempo':
        return `tempo:${ref.environment}:${ref.traceId}`;
      case 'lookup':
        return `lookup:${ref.environment}:${ref.id}`;
    }
  }

  private title(ref: SourceRef): string {
    switch (ref.kind) {
      case 'file':
        return vscode.l10n.t('Trace: {0}', fileName(vscode.Uri.parse(ref.uri, true)));
      case 'tempo':
        return vscode.l10n.t('Trace {0}', ref.traceId.slice(0, 16));
      case 'lookup':
        return vscode.l10n.t('Lookup: {0}', ref.id.length > 24 ? `${ref.id.slice(0, 24)}…` : ref.id);
    }
  }

  /** Shows `view` on `panel` for the source `ref` names. */
  attach(panel: vscode.WebviewPanel, ref: SourceRef): boolean {
    const make = this.make(ref);
    if (!make) return false;
    const key = this.keyOf(ref);
    panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'spanlens.svg');
    new TracePanelView(this.ctx, panel, this.registry.acquire(key, make), this.signer);
    return true;
  }

  /** Opens (or reveals) the panel for a source. */
  show(ref: SourceRef): void {
    const key = this.keyOf(ref);
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(TRACE_PANEL_VIEW_TYPE, this.title(ref), vscode.ViewColumn.Active, webviewOptions(this.ctx.extension.extensionUri));
    if (!this.attach(panel, ref)) {
      panel.dispose();
      return;
    }
    this.track(key, panel);
  }

  private track(key: string, panel: vscode.WebviewPanel): void {
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
  }

  /** Revives trace panels after a window reload, from the reference the webview kept in its state. */
  serializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TRACE_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: { source?: unknown } | undefined) => {
        const ref = await this.signer.verify(state?.source);
        const revivable = ref && (ref.kind !== 'file' || REVIVABLE_SCHEMES.has(safeScheme(ref.uri)));
        if (!ref || !revivable) {
          if (state?.source !== undefined) this.ctx.log.warn('a trace panel could not be restored: its saved state was not made by Spanlens');
          panel.dispose();
          return;
        }
        panel.title = this.title(ref);
        if (!this.attach(panel, ref)) {
          panel.dispose();
          return;
        }
        this.track(this.keyOf(ref), panel);
      },
    });
  }

  dispose(): void {
    this.registry.dispose();
  }
}

function safeScheme(uri: string): string {
  try {
    return vscode.Uri.parse(uri, true).scheme;
  } catch {
    return '';
  }
}

let current: TracePanels | undefined;

export function registerTracePanels(ctx: SpanlensContext): vscode.Disposable {
  const panels = new TracePanels(ctx);
  current = panels;
  return vscode.Disposable.from(panels.serializer(), panels, {
    dispose: () => {
      if (current === panels) current = undefined;
    },
  });
}

export function tracePanels(): TracePanels {
  if (!current) throw new Error(vscode.l10n.t('Spanlens trace panels are not ready yet.'));
  return current;
}

/** The `Spanlens: Open Trace File…` command: from a URI (Explorer menu) or a file picker. */
export const openTraceFile: CommandHandler = async (_ctx, arg) => {
  const uri = await fileToOpen(arg, {
    openLabel: vscode.l10n.t('Open Trace'),
    title: vscode.l10n.t('Open a trace file (OTLP JSON or protobuf, Tempo, Jaeger or Zipkin JSON)'),
    filters: { [vscode.l10n.t('Trace files')]: ['json', 'pb', 'otlp'], [vscode.l10n.t('All files')]: ['*'] },
  });
  if (uri) tracePanels().show({ kind: 'file', uri: uri.toString() });
};
