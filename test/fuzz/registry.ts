/** Finds a target by name in ./targets, or in another module exporting TARGETS (tests of the pool). */
import type { FuzzTarget } from './harness';

export interface Registry {
  readonly targets: readonly FuzzTarget[];
  named(name: string): FuzzTarget;
}

export function registry(module?: string): Registry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const targets = (require(module ?? './targets') as { TARGETS: readonly FuzzTarget[] }).TARGETS;
  return {
    targets,
    named(name) {
      const t = targets.find((x) => x.name === name);
      if (!t) throw new Error(`no fuzz target "${name}"; targets: ${targets.map((x) => x.name).join(', ')}`);
      return t;
    },
  };
}
