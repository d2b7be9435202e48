import { createServer } from 'node:net';

/**
 * Which of a stack's host ports something on this machine already listens on (the running
 * demo, another stack, a local Prometheus), found by trying to listen there: a port Docker or
 * kubectl port-forward could not bind is one this can't either. Only EADDRINUSE counts as "in
 * use"; a port this process may not bind for other reasons (a privileged port, an address this
 * machine does not have) is not reported, since nothing can be said about it.
 */

/** The address to try: a wildcard bind conflicts with anything, like Docker's own. */
function probeHost(bindAddress: string): string {
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? bindAddress : bindAddress === 'localhost' ? '127.0.0.1' : bindAddress;
}

export function portInUse(port: number, bindAddress = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    srv.listen({ port, host: probeHost(bindAddress), exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

export interface PortClash<K extends string> {
  readonly name: K;
  readonly port: number;
  /** The next port above it that is free here and not taken by another of the stack's ports. */
  readonly free?: number;
}

/**
 * The ports of `ports` in use on this machine, each with the next free port offered. Offers
 * never collide with each other or with the stack's other ports.
 */
export async function portClashes<K extends string>(ports: Readonly<Record<K, number>>, bindAddress = '127.0.0.1'): Promise<PortClash<K>[]> {
  const entries = Object.entries(ports) as [K, number][];
  const busy = await Promise.all(entries.map(([, port]) => portInUse(port, bindAddress)));
  const taken = new Set(entries.map(([, p]) => p));
  const out: PortClash<K>[] = [];
  for (const [i, [name, port]] of entries.entries()) {
    if (!busy[i]) continue;
    let free: number | undefined;
    for (let p = port + 1; p <= 65535 && p <= port + 200; p++) {
      if (taken.has(p) || (await portInUse(p, bindAddress))) continue;
      free = p;
      taken.add(p);
      break;
    }
    out.push({ name, port, ...(free ? { free } : {}) });
  }
  return out;
}
