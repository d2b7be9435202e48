/**
 * A small typed model of Alloy's configuration syntax (blocks, attributes, component
 * references) and its printer, so the Alloy config is data like every other artefact.
 */

/** A reference to another component's export, printed bare (e.g. `otelcol.exporter.otlp.tempo.input`). */
export interface AlloyRef {
  readonly ref: string;
}

export type AlloyValue = string | number | boolean | AlloyRef | readonly AlloyValue[];

export interface AlloyBlock {
  readonly name: string;
  readonly label?: string;
  readonly attrs?: readonly (readonly [string, AlloyValue])[];
  readonly blocks?: readonly AlloyBlock[];
}

export const ref = (r: string): AlloyRef => ({ ref: r });

function value(v: AlloyValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x: AlloyValue) => value(x)).join(', ')}]`;
  return (v as AlloyRef).ref;
}

function block(b: AlloyBlock, indent: string): string {
  const head = b.label === undefined ? b.name : `${b.name} ${JSON.stringify(b.label)}`;
  const inner = indent + '  ';
  const lines = [
    ...(b.attrs ?? []).map(([k, v]) => `${inner}${k} = ${value(v)}`),
    ...(b.blocks ?? []).map((c) => block(c, inner)),
  ];
  return `${indent}${head} {\n${lines.join('\n')}${lines.length ? '\n' : ''}${indent}}`;
}

export function printAlloy(blocks: readonly AlloyBlock[], comment?: string): string {
  const head = comment ? `// ${comment}\n\n` : '';
  return `${head}${blocks.map((b) => block(b, '')).join('\n\n')}\n`;
}
