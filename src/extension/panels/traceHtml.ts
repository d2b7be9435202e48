import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Only the build output may load into the webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    retainContextWhenHidden: false,
  };
}

/**
 * The page shell. CSP `default-src 'none'`: the script runs by nonce, styles and fonts come
 * only from the extension's own files; no data is ever interpolated into the page — it arrives
 * by message after the `ready` handshake.
 */
export function traceHtml(webview: vscode.Webview, extensionUri: vscode.Uri, lang: string): string {
  const nonce = randomBytes(16).toString('base64');
  const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(base, 'trace.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(base, 'trace.css'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const safeLang = /^[A-Za-z-]{2,16}$/.test(lang) ? lang : 'en';
  return /* html */ `<!DOCTYPE html>
<html lang="${safeLang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Spanlens</title>
</head>
<body>
<div id="app" data-nonce="${nonce}" data-loading="${escapeAttr(vscode.l10n.t('Loading trace…'))}"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
