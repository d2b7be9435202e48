import type { LookupMessage, PartState, WebviewStrings } from '../../src/core/protocol/trace';
import { el } from '../shared/dom';

const ICON: Record<PartState['state'], string> = { searching: '⟳', found: '✓', empty: '∅', error: '✕' };

/** "Request id 5b0e… · Trace ✓ 1 trace · Logs ⟳ searching · Metrics ✕ Prometheus said …": each part's own state. */
export function lookupHeader(m: LookupMessage, s: WebviewStrings): HTMLElement {
  const part = (name: string, p: PartState, testid: string) =>
    el('span', { className: `part ${p.state}`, attrs: { 'data-testid': testid, 'data-state': p.state }, title: p.text }, el('strong', { text: name }), document.createTextNode(` ${ICON[p.state]} ${p.text}`));
  return el(
    'div',
    { className: 'lookup-header', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'lookup-header' } },
    el('span', { className: 'lookup-id', text: `${m.kind}: ${m.id}`, title: m.id }),
    part(s.traceOf, m.parts.trace, 'part-trace'),
    part(s.logs, m.parts.logs, 'part-logs'),
    part(s.metricsShort, m.parts.metrics, 'part-metrics'),
  );
}
