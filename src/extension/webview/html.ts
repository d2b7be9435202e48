import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Every webview entry the build makes (scripts/build.mjs WEBVIEW_ENTRIES): dist/webview/<entry>.js and .css. */
export type WebviewEntry = 'trace' | 'metrics';

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Only the build output may load into a webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    retainContextWhenHidden: false,
  };
}

/**
 * The page shell of one webview entry. CSP `default-src 'none'`: the script runs by nonce, styles
 * and fonts come only from the extension's own files; no data is ever interpolated into the page
 * but the localized loading text (escaped) — everything else arrives by message after `ready`.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: WebviewEntry, loadingText: string): string {
  const nonce = randomBytes(16).toString('base64');
  const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(base, `${entry}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(base, `${entry}.css`));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const lang = vscode.env.language;
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
<div id="app" data-nonce="${nonce}" data-loading="${escapeAttr(loadingText)}"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
