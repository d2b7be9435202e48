/**
 * "Nothing left pending": after a suite closes its servers and clients, no socket, server or
 * timer may remain. Node lists what keeps the event loop alive; we compare against what the test
 * runner itself holds at start-up.
 */
const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'TLSWrap', 'Immediate', 'ProcessWrap']);

export function watchedHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => WATCHED.has(r));
}

/** Waits (bounded) until the watched handles drop back to `baseline`, else returns the leftovers. */
export async function leftoverHandles(baseline: readonly string[], timeoutMs = 2000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = watchedHandles();
    const extra = [...now];
    for (const b of baseline) {
      const i = extra.indexOf(b);
      if (i >= 0) extra.splice(i, 1);
    }
    if (extra.length === 0 || Date.now() > deadline) return extra;
    // Sockets finish closing on the next turns of the loop; poll, don't sleep a fixed time.
    await new Promise((r) => setTimeout(r, 10));
  }
}
