/** SVG elements for the charts; text only through textContent, attributes only as given. */
const NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<Node | null | undefined>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.append(c);
  return e;
}

export function svgTitle(text: string): SVGTitleElement {
  const t = document.createElementNS(NS, 'title');
  t.textContent = text;
  return t;
}
