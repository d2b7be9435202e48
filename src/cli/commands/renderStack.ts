/**
 * `spanlens render-stack --out DIR --profile compose|k8s [--force]`: renders the observability
 * stack for Dynamo into DIR. Files that would change are listed and nothing is written unless
 * `--force` is given (exit 1); `--diff` prints the unified diffs; `--dry-run` only plans.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { PROFILES, StackOptionsError, type StackComponents, type StackOptionsInput, type StackPorts, type StackProfile } from '../../core/stack/options';
import { renderStack } from '../../core/stack/render';
import { applyPlan, planWrite, StackWriteError } from '../../core/stack/write';
import { countOf, plural } from '../../core/text/plural';
import { CliUsageError, type CliCommand, type CliIO } from '../cli';

const USAGE =
  'render-stack --out DIR --profile compose|k8s [--force] [--diff] [--dry-run] [--components LIST] [--collector otelcol|alloy|none] [--gpu] ' +
  '[--port NAME=N]... [--retention prometheus|tempo|loki=DURATION]... [--dynamo-host HOST] [--system-ports N,N] [--bind ADDR] [--webhook URL] ' +
  '[--namespace NS] [--dynamo-namespace NS]';

const TOGGLES = ['prometheus', 'alertmanager', 'grafana', 'tempo', 'loki', 'nats', 'etcd', 'dcgm'] as const;

function pairs(list: readonly string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(item);
    if (!m) throw new CliUsageError(`--${what} takes NAME=VALUE, got '${item}'`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

function toPort(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new CliUsageError(`${what}: '${text}' is not a port number`);
  return Number(text);
}

export interface RenderStackArgs {
  readonly out: string;
  readonly input: StackOptionsInput;
  readonly force: boolean;
  readonly diff: boolean;
  readonly dryRun: boolean;
}

export function parseRenderArgs(args: readonly string[]): RenderStackArgs {
  let v;
  try {
    v = parseArgs({
      args: [...args],
      options: {
        out: { type: 'string' },
        profile: { type: 'string' },
        force: { type: 'boolean' },
        diff: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        components: { type: 'string' },
        collector: { type: 'string' },
        gpu: { type: 'boolean' },
        port: { type: 'string', multiple: true },
        retention: { type: 'string', multiple: true },
        'dynamo-host': { type: 'string' },
        'system-ports': { type: 'string' },
        bind: { type: 'string' },
        webhook: { type: 'string' },
        namespace: { type: 'string' },
        'dynamo-namespace': { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message} (usage: spanlens ${USAGE})`);
  }
  if (!v.out) throw new CliUsageError(`--out DIR is required (usage: spanlens ${USAGE})`);
  if (!v.profile || !PROFILES.includes(v.profile as StackProfile)) throw new CliUsageError(`--profile must be compose or k8s (usage: spanlens ${USAGE})`);

  const components: { -readonly [K in keyof StackComponents]?: StackComponents[K] } = {};
  if (v.components !== undefined) {
    const chosen = v.components.split(',').map((s) => s.trim()).filter(Boolean);
    for (const c of chosen) {
      if (!(TOGGLES as readonly string[]).includes(c)) throw new CliUsageError(`unknown component '${c}' (choose from ${TOGGLES.join(', ')})`);
    }
    for (const t of TOGGLES) components[t] = chosen.includes(t);
  }
  if (v.gpu) components.dcgm = true;
  if (v.collector !== undefined) {
    if (!['otelcol', 'alloy', 'none'].includes(v.collector)) throw new CliUsageError('--collector must be otelcol, alloy or none');
    components.collector = v.collector as StackComponents['collector'];
  }
  const ports: Partial<Record<keyof StackPorts, number>> = {};
  for (const [name, value] of Object.entries(pairs(v.port, 'port'))) ports[name as keyof StackPorts] = toPort(value, `--port ${name}`);
  const unknownPort = Object.keys(ports).find((k) => !['grafana', 'prometheus', 'alertmanager', 'tempo', 'loki', 'otlpGrpc', 'otlpHttp', 'nats', 'natsMonitor', 'etcd', 'alloy'].includes(k));
  if (unknownPort) throw new CliUsageError(`unknown port name '${unknownPort}'`);
  const retention = pairs(v.retention, 'retention');
  const unknownRetention = Object.keys(retention).find((k) => !['prometheus', 'tempo', 'loki'].includes(k));
  if (unknownRetention) throw new CliUsageError(`unknown retention '${unknownRetention}' (prometheus, tempo or loki)`);

  const input: StackOptionsInput = {
    profile: v.profile as StackProfile,
    components,
    ports,
    retention,
    ...(v.bind ? { bindAddress: v.bind } : {}),
    ...(v.webhook ? { alertWebhookUrl: v.webhook } : {}),
    dynamo: {
      ...(v['dynamo-host'] ? { host: v['dynamo-host'] } : {}),
      ...(v['system-ports'] ? { systemPorts: v['system-ports'].split(',').map((p) => toPort(p.trim(), '--system-ports')) } : {}),
    },
    k8s: {
      ...(v.namespace ? { namespace: v.namespace } : {}),
      ...(v['dynamo-namespace'] ? { dynamoNamespace: v['dynamo-namespace'] } : {}),
    },
  };
  return { out: resolve(v.out), input, force: !!v.force, diff: !!v.diff, dryRun: !!v['dry-run'] };
}

export async function runRenderStack(a: RenderStackArgs, io: CliIO): Promise<number> {
  let files;
  try {
    files = renderStack(a.input);
  } catch (err) {
    if (err instanceof StackOptionsError) {
      io.stderr.write(`spanlens: these choices cannot make a working stack:\n${err.problems.map((p) => `  - ${p}\n`).join('')}`);
      return 2;
    }
    throw err;
  }
  const plan = await planWrite(a.out, files);
  for (const e of plan.entries) io.stdout.write(`${e.status.padEnd(10)} ${e.path}\n`);
  if (a.diff) for (const e of plan.entries) if (e.diff) io.stdout.write(e.diff);
  const changed = plan.entries.filter((e) => e.status === 'changed');
  if (a.dryRun) return 0;
  if (changed.length && !a.force) {
    io.stderr.write(
      `spanlens: ${countOf(changed.length, 'existing file differs', 'existing files differ')} and ${plural(changed.length, { one: 'was', other: 'were' })} not overwritten; nothing was written.\n` +
        `  Review with --diff, then re-run with --force to overwrite ${plural(changed.length, { one: 'it', other: 'them' })}.\n`,
    );
    return 1;
  }
  try {
    const res = await applyPlan(plan, { force: a.force });
    io.stderr.write(`wrote ${countOf(res.written.length, 'file', 'files')} to ${a.out}${res.unchanged.length ? `, ${res.unchanged.length} unchanged` : ''}\n`);
    return 0;
  } catch (err) {
    if (err instanceof StackWriteError) {
      io.stderr.write(`spanlens: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

export const renderStackCommand: CliCommand = {
  words: ['render-stack'],
  usage: USAGE,
  summary: 'Render a Prometheus/Alertmanager/Grafana/Tempo/Loki stack for Dynamo (Docker Compose or Kubernetes) into DIR; never overwrites silently.',
  run: (args, io) => runRenderStack(parseRenderArgs(args), io),
};
