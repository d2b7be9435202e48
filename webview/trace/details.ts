import { formatDuration } from '../../src/core/format/duration';
import type { CodeLocation, KeyValueText, SpanDetails, WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';

/** What the pane can ask of the page: copying goes through the host (the clipboard lives there). */
export interface DetailsActions {
  copy(text: string): void;
  openSource(location: number): void;
  openTrace(traceId: string): void;
}

function copyButton(text: string, s: WebviewStrings, a: DetailsActions): HTMLElement {
  const b = el('button', { className: 'copy', text: '⧉', title: s.copy, attrs: { 'aria-label': s.copy } });
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    a.copy(text);
    b.textContent = '✓';
    b.title = s.copied;
    setTimeout(() => {
      b.textContent = '⧉';
      b.title = s.copy;
    }, 1200);
  });
  return b;
}

function kvTable(rows: readonly KeyValueText[], s: WebviewStrings, a: DetailsActions): HTMLElement {
  if (!rows.length) return el('p', { className: 'muted', text: s.none });
  const table = el('table', { className: 'kv' });
  for (const r of rows) {
    table.append(el('tr', {}, el('th', { text: r.key, title: r.key }), el('td', {}, el('span', { className: 'value', text: r.value }), copyButton(r.value, s, a))));
  }
  return table;
}

function section(title: string, count: number | null, body: HTMLElement, testid: string): HTMLElement {
  const summary = el('summary', { text: count === null ? title : `${title} (${count})` });
  const d = el('details', { className: 'section', attrs: { 'data-testid': testid } }, summary, body);
  d.open = true;
  return d;
}

function sourceFrom(l: CodeLocation, s: WebviewStrings): string {
  return l.from === 'span' ? s.sourceFromSpan : l.from === 'event' ? s.sourceFromEvent : s.sourceFromStack;
}

function locationText(l: CodeLocation): string {
  const where = l.path ? `${l.path}${l.line ? `:${l.line}` : ''}` : (l.function ?? '');
  return l.path && l.function ? `${where} (${l.function})` : where;
}

/** Renders the details pane for one span. */
export function renderDetails(host: HTMLElement, d: SpanDetails, color: string, s: WebviewStrings, a: DetailsActions, onCriticalPath: boolean): void {
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
  const factsTable = kvTable(facts, s, a);
  factsTable.classList.add('facts');
  if (d.status === 'error') factsTable.querySelectorAll('tr')[2]?.classList.add('error');

  const head = el('div', { className: 'details-head' });
  if (onCriticalPath) head.append(el('span', { className: 'badge critical', text: s.onCriticalPath }));
  if (d.status === 'error') head.append(el('span', { className: 'badge error', text: s.error }));

  const sources = el('div', { className: 'sources', attrs: { 'data-testid': 'sources' } });
  d.locations.forEach((l, i) => {
    const link = el('a', { className: 'source-link', text: locationText(l), title: `${s.openSource}: ${locationText(l)}`, attrs: { href: '#', 'data-testid': 'source-link' } });
    link.addEventListener('click', (e) => {
      e.preventDefault();
      a.openSource(i);
    });
    sources.append(el('div', { className: 'source' }, el('span', { className: 'muted', text: `${sourceFrom(l, s)} · ` }), link));
  });

  const events = el('div');
  if (!d.events.length) events.append(el('p', { className: 'muted', text: s.none }));
  for (const e of d.events) {
    events.append(el('div', { className: 'event' }, el('div', { className: 'event-head', text: `+${formatDuration(e.offsetNs)}  ${e.name}` }), kvTable(e.attributes, s, a)));
  }
  const links = el('div');
  if (!d.links.length) links.append(el('p', { className: 'muted', text: s.none }));
  for (const l of d.links) {
    const open = el('a', { className: 'trace-link', text: `${l.traceId} / ${l.spanId}`, title: s.openLinkedTrace, attrs: { href: '#', 'data-testid': 'trace-link' } });
    open.addEventListener('click', (e) => {
      e.preventDefault();
      a.openTrace(l.traceId);
    });
    links.append(el('div', { className: 'event' }, el('div', { className: 'event-head' }, open), kvTable(l.attributes, s, a)));
  }

  host.replaceChildren(
    el('h2', { className: 'span-name', title: d.name }, swatch, el('span', { className: 'value', text: d.name }), copyButton(d.name, s, a)),
    head,
    factsTable,
    ...(d.locations.length ? [section(s.openSource, d.locations.length, sources, 'sources-section')] : []),
    section(s.attributes, d.attributes.length, kvTable(d.attributes, s, a), 'attributes'),
    section(s.resourceAttributes, d.resourceAttributes.length, kvTable(d.resourceAttributes, s, a), 'resource-attributes'),
    section(s.events, d.events.length, events, 'events'),
    section(s.links, d.links.length, links, 'links'),
  );
}
