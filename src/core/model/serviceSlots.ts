/**
 * Colour slots for service names, first come first served. The extension keeps one set for all
 * its panels and saves it between sessions, so a service has the same colour in every panel, and
 * the services a user meets get well-separated colours (slot n is far from slot n − 1 on the
 * wheel) instead of whatever a hash of their names happens to give, where two of ten services
 * often land on hues too near to tell apart.
 */
import { fnv1a } from '../text/hash';

/** Names kept; later ones get a slot from their name alone (still stable, no longer spread). */
export const MAX_SERVICE_SLOTS = 256;
/** A saved name longer than this is not a service name anyone set by hand; it is not kept. */
const MAX_NAME = 256;

export class ServiceSlots {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /** `saved`: what `saved` returned earlier, read back from storage (so checked, not trusted). */
  constructor(saved?: unknown) {
    if (!Array.isArray(saved)) return;
    for (const n of saved) if (typeof n === 'string') this.add(n);
  }

  /** The slot of each service, giving new ones the next slots; `changed` when any was new. */
  assign(services: readonly string[]): { readonly slots: number[]; readonly changed: boolean } {
    let changed = false;
    const slots = services.map((name) => {
      const known = this.index.get(name);
      if (known !== undefined) return known;
      const added = this.add(name);
      if (added !== undefined) {
        changed = true;
        return added;
      }
      return MAX_SERVICE_SLOTS + (fnv1a(name) % MAX_SERVICE_SLOTS);
    });
    return { slots, changed };
  }

  /** The names in slot order, for storage. */
  get saved(): readonly string[] {
    return this.names;
  }

  private add(name: string): number | undefined {
    if (name.length > MAX_NAME || this.names.length >= MAX_SERVICE_SLOTS || this.index.has(name)) return undefined;
    this.index.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }
}
