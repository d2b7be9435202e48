import * as vscode from 'vscode';
import { findIds, findModeFor, type FindMode, type IdMatch } from '../../core/correlate/findIds';
import { kindText } from './askRequestId';

/**
 * Ids as links wherever they are printed: log files, JSON and JSONL, plain text (a hover and a
 * document link on each id) and the integrated terminal (`docker compose logs`, `kubectl logs`
 * of Dynamo JSONL). Each runs `spanlens.lookupRequestId` with the id as its one argument. In JSON
 * only values of id keys are links (a hash in a lockfile is not a trace id); elsewhere bare
 * trace ids, UUIDs and traceparents are too.
 */
export const LOOKUP_COMMAND = 'spanlens.lookupRequestId';

export const ID_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'log' },
  { language: 'plaintext' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'jsonl' },
  { pattern: '**/*.{log,jsonl,ndjson}' },
];

/** Lines and links looked at per document: a 1 GB log opened as text is not scanned whole. */
const MAX_LINES = 20_000;
const MAX_LINKS = 5_000;

export function modeOf(doc: { readonly languageId: string; readonly fileName: string }): FindMode {
  return findModeFor(doc.languageId, doc.fileName);
}

export function lookupUri(id: string): vscode.Uri {
  return vscode.Uri.parse(`command:${LOOKUP_COMMAND}?${encodeURIComponent(JSON.stringify([id]))}`);
}

function tooltip(m: IdMatch): string {
  return vscode.l10n.t('Look up this {0} (traces, logs, metrics)', kindText(m.kind));
}

export class IdLinkProvider implements vscode.DocumentLinkProvider, vscode.HoverProvider {
  provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] {
    const mode = modeOf(doc);
    const links: vscode.DocumentLink[] = [];
    const lines = Math.min(doc.lineCount, MAX_LINES);
    for (let l = 0; l < lines && links.length < MAX_LINKS; l++) {
      if (l % 500 === 0 && token.isCancellationRequested) return links;
      const text = doc.lineAt(l).text;
      for (const m of findIds(text, mode)) {
        const link = new vscode.DocumentLink(new vscode.Range(l, m.start, l, m.end), lookupUri(m.text));
        link.tooltip = tooltip(m);
        links.push(link);
      }
    }
    return links;
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const text = doc.lineAt(pos.line).text;
    const m = findIds(text, modeOf(doc)).find((x) => x.start <= pos.character && pos.character <= x.end);
    if (!m) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [LOOKUP_COMMAND] };
    md.appendMarkdown(`[$(search) ${escapeMarkdown(tooltip(m))}](${lookupUri(m.text).toString()})`);
    md.appendMarkdown('\n\n');
    md.appendText(m.text);
    return new vscode.Hover(md, new vscode.Range(pos.line, m.start, pos.line, m.end));
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

interface IdTerminalLink extends vscode.TerminalLink {
  readonly id: string;
}

export class IdTerminalLinkProvider implements vscode.TerminalLinkProvider<IdTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext): IdTerminalLink[] {
    return findIds(context.line).map((m) => ({ startIndex: m.start, length: m.end - m.start, tooltip: tooltip(m), id: m.text }));
  }

  async handleTerminalLink(link: IdTerminalLink): Promise<void> {
    await vscode.commands.executeCommand(LOOKUP_COMMAND, link.id);
  }
}

export function registerIdLinks(): vscode.Disposable[] {
  const docs = new IdLinkProvider();
  return [
    vscode.languages.registerDocumentLinkProvider(ID_DOCUMENTS, docs),
    vscode.languages.registerHoverProvider(ID_DOCUMENTS, docs),
    vscode.window.registerTerminalLinkProvider(new IdTerminalLinkProvider()),
  ];
}
