import * as vscode from 'vscode';
import type { SpanlensContext } from '../context';
import { tracePanels } from './tracePanels';

/**
 * `Open With… → Spanlens Trace` on any JSON file (priority "option", so the text editor stays
 * the default). Read-only: the document is just the URI; the panel reads it through a file source.
 */
export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'spanlens.traceEditor';

  static register(_ctx: SpanlensContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TraceEditorProvider.viewType, new TraceEditorProvider(), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    if (!tracePanels().attach(panel, { kind: 'file', uri: document.uri.toString() })) panel.dispose();
  }
}
