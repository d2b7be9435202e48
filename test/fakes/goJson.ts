/** Go-style JSON text now lives in the core (the local capture writes Tempo's and Loki's bodies with it). */
export * from '../../src/core/formats/goJson';
