import * as vscode from 'vscode';
import type { TraceMethods, TraceRequest } from '../../core/protocol/trace';

/**
 * The requests every view of the trace webview answers alike, whatever it shows (a trace, a
 * lookup, a log file): look up an id from a line, copy a value. Undefined for any other method.
 */
export async function answerCommonRequest(req: TraceRequest): Promise<{ readonly result: null } | undefined> {
  switch (req.method) {
    case 'lookUp': {
      const q = req.params as TraceMethods['lookUp']['params'];
      await vscode.commands.executeCommand('spanlens.lookupRequestId', q.id);
      return { result: null };
    }
    case 'copy': {
      const q = req.params as TraceMethods['copy']['params'];
      await vscode.env.clipboard.writeText(q.text);
      return { result: null };
    }
    default:
      return undefined;
  }
}
