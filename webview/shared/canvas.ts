/**
 * A canvas must be drawn again when nothing in the page changed in two cases: the device pixel
 * ratio changed (the window moved to another monitor, or the zoom level changed), which leaves it
 * blurred at its old resolution; and the browser restored its context after losing it (a GPU
 * reset, or memory pressure), which leaves it blank. Neither fires a resize.
 */
export function watchCanvas(canvas: HTMLCanvasElement, on: { readonly pixelRatio: () => void; readonly restored: () => void }): () => void {
  let mq: MediaQueryList | undefined;
  // A query for the current ratio changes once, when the ratio does; then one for the new ratio.
  const listen = () => {
    mq = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    mq.addEventListener('change', onRatio, { once: true });
  };
  const onRatio = () => {
    on.pixelRatio();
    listen();
  };
  listen();
  // Not calling preventDefault on contextlost lets the browser restore the context by itself.
  const onRestored = () => on.restored();
  canvas.addEventListener('contextrestored', onRestored);
  return () => {
    mq?.removeEventListener('change', onRatio);
    canvas.removeEventListener('contextrestored', onRestored);
  };
}
