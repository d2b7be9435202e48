// Lit (under @vscode-elements) adds <style> tags when a browser lacks constructable
// stylesheets; our CSP only admits styles carrying the page's nonce, and Lit reads it here.
// Imported first, before any element module.
const nonce = document.getElementById('app')?.dataset.nonce;
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
export {};
