import * as vscode from 'vscode';
import { detectId } from '../../core/correlate/detect';
import { findIds } from '../../core/correlate/findIds';
import type { CommandHandler } from '../context';
import { LOOKUP_COMMAND, modeOf } from './idLinks';

/**
 * `Look Up Request ID` on the editor's context menu: the selected text, or, with nothing
 * selected, the id under the cursor, handed to `spanlens.lookupRequestId`.
 */
export const lookupSelection: CommandHandler = async () => {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const { document: doc, selection } = editor;
  let text = selection.isEmpty ? '' : doc.getText(selection).slice(0, 2048);
  if (!text.trim()) {
    const line = doc.lineAt(selection.active.line).text;
    const at = selection.active.character;
    text = findIds(line, modeOf(doc)).find((m) => m.start <= at && at <= m.end)?.text ?? '';
  }
  if (!text.trim()) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select an id (trace id, span id, request id) to look up, or put the cursor on one.'));
    return;
  }
  const d = detectId(text);
  if (!d.ok) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The selection is not an id: select just the id (at most 512 characters, on one line).'));
    return;
  }
  await vscode.commands.executeCommand(LOOKUP_COMMAND, d.id.value);
};
