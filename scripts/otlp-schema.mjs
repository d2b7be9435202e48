#!/usr/bin/env node
// Turns the vendored OTLP .proto files (src/core/formats/proto) into the protobufjs JSON
// descriptor the decoders and the receiver load (src/core/formats/otlpSchema.json), so the
// bundles carry neither .proto text nor a .proto parser. `--check` compares instead of writing
// (the unit test runs it). Only traces and logs and their collector services: Spanlens does not
// receive metrics.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import { root } from './paths.mjs';

const protoRoot = join(root, 'src/core/formats/proto');
const out = join(root, 'src/core/formats/otlpSchema.json');
const FILES = ['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/logs/v1/logs_service.proto'];

export function otlpSchemaJson() {
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => join(protoRoot, target);
  r.loadSync(FILES, { keepCase: false });
  r.resolveAll();
  // Options (java_package, go_package …) and comments mean nothing to protobufjs/light.
  const strip = (o) => {
    if (Array.isArray(o)) return o.map(strip);
    if (o === null || typeof o !== 'object') return o;
    const res = {};
    for (const [k, v] of Object.entries(o)) if (k !== 'options' && k !== 'comment' && k !== 'comments') res[k] = strip(v);
    return res;
  };
  return `${JSON.stringify(strip(r.toJSON({ keepComments: false })), null, 1)}\n`;
}

function isEntryPoint() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const json = otlpSchemaJson();
  if (process.argv.includes('--check')) {
    const now = readFileSync(out, 'utf8');
    if (now !== json) {
      console.error(`${out} is out of date with the .proto files: run node scripts/otlp-schema.mjs`);
      process.exit(1);
    }
  } else writeFileSync(out, json);
}
