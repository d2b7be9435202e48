/** Loki's stats block now lives in the core (the local capture's Loki endpoint writes it too). */
export * from '../../src/core/formats/lokiStats';
