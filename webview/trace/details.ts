import type { KeyValueText, SpanDetails, WebviewStrings } from '../../src/core/protocol';
import { el } from './dom';
import { formatDuration } from './format';

function kvTable(rows: readonly KeyValueText[], s: WebviewStrings): HTMLElement {
  if (!rows.length) return el('p', { className: 'muted', text: s.none });
  const table = el('table', { className: 'kv' });
  for (const r of rows) table.append(el('tr', {}, el('th', { text: r.key, title: r.key }), el('td', { text: r.value })));
  return table;
}

function section(title: string, count: number | null, body: HTMLElement): HTMLElement {
  const summary = el('summary', { text: count === null ? title : `${title} (${count})` });
  const d = el('details', { className: 'section' }, summary, body);
  d.open = true;
  return d;
}

/** Renders the details pane for one span. */
export function renderDetails(host: HTMLElement, d: SpanDetails, color: string, s: WebviewStrings): void {
  const swatch = el('span', { className: 'swatch' });
  swatch.style.background = color;
  const status = d.statusMessage ? `${d.status}: ${d.statusMessage}` : d.status;
  const facts: KeyValueText[] = [
    { key: s.service, value: d.service },
    { key: s.kind, value: d.kind },
    { key: s.status, value: status },
    { key: s.duration, value: formatDuration(d.durationNs) },
    { key: s.selfTime, value: formatDuration(d.selfNs) },
    { key: s.start, value: `+${formatDuration(d.startOffsetNs)}` },
    { key: s.spanId, value: d.spanId },
    { key: s.parentSpanId, value: d.parentSpanId ? (d.parentMissing ? `${d.parentSpanId} (${s.missingParent})` : d.parentSpanId) : s.none },
    { key: s.traceId, value: d.traceId },
  ];
  if (d.scope) facts.push({ key: s.scope, value: d.scope });
  const factsTable = kvTable(facts, s);
  factsTable.classList.add('facts');
  if (d.status === 'error') factsTable.querySelectorAll('tr')[2]?.classList.add('error');

  const events = el('div');
  if (!d.events.length) events.append(el('p', { className: 'muted', text: s.none }));
  for (const e of d.events) {
    events.append(el('div', { className: 'event' }, el('div', { className: 'event-head', text: `+${formatDuration(e.offsetNs)}  ${e.name}` }), kvTable(e.attributes, s)));
  }
  const links = el('div');
  if (!d.links.length) links.append(el('p', { className: 'muted', text: s.none }));
  for (const l of d.links) {
    links.append(el('div', { className: 'event' }, el('div', { className: 'event-head', text: `${l.traceId} / ${l.spanId}` }), kvTable(l.attributes, s)));
  }

  host.replaceChildren(
    el('h2', { className: 'span-name', title: d.name }, swatch, document.createTextNode(d.name)),
    factsTable,
    section(s.attributes, d.attributes.length, kvTable(d.attributes, s)),
    section(s.resourceAttributes, d.resourceAttributes.length, kvTable(d.resourceAttributes, s)),
    section(s.events, d.events.length, events),
    section(s.links, d.links.length, links),
  );
}
