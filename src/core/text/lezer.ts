/**
 * What every reader of a Lezer parse tree (Grafana's TraceQL and LogQL grammars, Prometheus's
 * PromQL one) needs the same way: where the first syntax error sits, a node's children, and the
 * 1-based line and column the servers' own parsers print.
 */
import type { SyntaxNode, Tree } from '@lezer/common';

/** The first error node of the tree, or undefined when the text parsed. */
export function firstErrorNode(tree: Tree): { from: number; to: number } | undefined {
  let at: { from: number; to: number } | undefined;
  tree.iterate({
    enter: (node) => {
      if (at) return false;
      if (node.type.isError) {
        at = { from: node.from, to: node.to };
        return false;
      }
      return undefined;
    },
  });
  return at;
}

export function childNodes(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - start + 1 };
}
