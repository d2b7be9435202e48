import * as vscode from 'vscode';
import type { SpanlensContext } from '../context';
import { TraceView } from './traceView';

/**
 * `Open With… → Spanlens Trace` on any JSON file (priority "option", so the text editor stays
 * the default). Read-only: the document is just the URI; the view reads the file itself.
 */
export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'spanlens.traceEditor';

  static register(ctx: SpanlensContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TraceEditorProvider.viewType, new TraceEditorProvider(ctx), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly ctx: SpanlensContext) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new TraceView(this.ctx, panel, document.uri);
  }
}
