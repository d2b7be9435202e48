/**
 * The rival in the flame benchmark: d3-flame-graph (SVG, one element per node), fed the same
 * trace as a hierarchy, with transitions off so the first draw is all that is timed.
 */
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';

interface Node {
  name: string;
  value: number;
  children?: Node[];
}

(window as unknown as { runD3(url: string, width: number): Promise<number> }).runD3 = async (url, width) => {
  const data = (await (await fetch(url)).json()) as Node;
  const host = document.createElement('div');
  host.id = 'chart';
  document.body.replaceChildren(host);
  const t0 = performance.now();
  const chart = flamegraph().width(width).cellHeight(18).transitionDuration(0).minFrameSize(0).sort(false);
  select(host).datum(data).call(chart);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
};
