import * as vscode from 'vscode';
import type { SpanlensContext } from '../context';

/**
 * Read-only virtual documents holding the content a render would write, so `vscode.diff` can
 * show it against the file on disk before anything is written.
 */
export const PROPOSED_SCHEME = 'spanlens-stack';

class ProposedDocs implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  /** A URI whose document holds `content`; `kind` keeps proposed and empty sides apart. */
  put(kind: 'proposed' | 'empty', rel: string, content: string, batch: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${kind}/${rel}`, query: batch });
    this.docs.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  /** Forgets one render's documents once its review is over. */
  drop(batch: string): void {
    for (const key of [...this.docs.keys()]) if (vscode.Uri.parse(key).query === batch) this.docs.delete(key);
  }

  dispose(): void {
    this.changed.dispose();
    this.docs.clear();
  }
}

let provider: ProposedDocs | undefined;

/** The provider, registered once for the extension's lifetime on first use. */
export function proposedDocs(ctx: SpanlensContext): ProposedDocs {
  if (!provider) {
    const p = new ProposedDocs();
    provider = p;
    ctx.extension.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, p), p, {
      dispose: () => {
        if (provider === p) provider = undefined;
      },
    });
  }
  return provider;
}
