/**
 * How the capture's query parsers word a syntax error: as Tempo's and Loki's own parsers do
 * ("parse error at line L, col C: syntax error: unexpected TOKEN"), so a query refused by the
 * capture reads like one refused by the real server.
 */
import type { Tree } from '@lezer/common';
import { firstErrorNode, lineColumn } from '../../text/lezer';

export function position(src: string, offset: number): string {
  const { line, column } = lineColumn(src, offset);
  return `line ${line}, col ${column}`;
}

/**
 * The message for the tree's first error node, or undefined when it parsed. `token` matches the
 * one token the server would name as unexpected at the start of the rest of the text.
 */
export function syntaxError(tree: Tree, src: string, token: RegExp): string | undefined {
  const at = firstErrorNode(tree);
  if (!at) return undefined;
  const rest = src.slice(at.from).trimStart();
  const unexpected = rest === '' ? '$end' : (token.exec(rest)?.[0] ?? rest[0]!);
  return `parse error at ${position(src, src.length - rest.length)}: syntax error: unexpected ${unexpected}`;
}
