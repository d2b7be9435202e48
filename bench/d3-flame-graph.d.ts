/** The part of d3-flame-graph's API the benchmark uses (the package ships no types). */
declare module 'd3-flame-graph' {
  interface FlameGraph {
    (selection: unknown): void;
    width(w: number): FlameGraph;
    cellHeight(h: number): FlameGraph;
    transitionDuration(ms: number): FlameGraph;
    minFrameSize(px: number): FlameGraph;
    sort(s: boolean): FlameGraph;
  }
  export default function flamegraph(): FlameGraph;
}
