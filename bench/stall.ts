/**
 * Longest gap between timer ticks while `work` runs: how long anything else on the thread would
 * wait (a stall of the extension host, in the areas that measure one). No dependencies, so the
 * plain-JavaScript activation child can bundle it without loading anything it measures.
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<[number, T]> {
  let last = performance.now();
  let longest = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, 0);
  try {
    const r = await work();
    // The stretch since the last tick counts too (measured here, not by a tick: that would start a second chain).
    longest = Math.max(longest, performance.now() - last);
    return [longest, r];
  } finally {
    clearTimeout(timer);
  }
}
