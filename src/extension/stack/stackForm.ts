import * as vscode from 'vscode';
import {
  defaultComponents,
  DEFAULT_PORTS,
  DEFAULT_RETENTION,
  isGoDuration,
  isPromDuration,
  durationMs,
  isValidPort,
  resolveOptions,
  StackOptionsError,
  type StackComponents,
  type StackOptionsInput,
  type StackPorts,
  type StackProfile,
  type StackRetention,
} from '../../core/stack/options';
import { portClashes, type PortClash } from '../../core/stack/portCheck';
import { plural } from '../../core/text/plural';

/**
 * The "Render Local Stack…" form: profile, components, ports and retention, one step at a
 * time, each validated before the next. Returns undefined when the user cancels any step.
 */

interface ComponentItem extends vscode.QuickPickItem {
  readonly key: keyof StackComponents | 'otelcol' | 'alloy';
}

function componentItems(profile: StackProfile): ComponentItem[] {
  const items: ComponentItem[] = [
    { key: 'prometheus', label: 'Prometheus', description: vscode.l10n.t('metrics, alert rules, exemplars') },
    { key: 'alertmanager', label: 'Alertmanager', description: vscode.l10n.t('routes alerts by severity to a webhook') },
    { key: 'grafana', label: 'Grafana', description: vscode.l10n.t('datasources, correlations and dashboards') },
    { key: 'tempo', label: 'Tempo', description: vscode.l10n.t('traces, span metrics') },
    { key: 'loki', label: 'Loki', description: vscode.l10n.t('logs with structured metadata') },
  ];
  if (profile === 'compose') {
    items.push({ key: 'otelcol', label: 'OpenTelemetry Collector', description: vscode.l10n.t('receives Dynamo OTLP, traces to Tempo, logs to Loki') });
  }
  items.push({
    key: 'alloy',
    label: 'Grafana Alloy',
    description: profile === 'compose' ? vscode.l10n.t('instead of the OpenTelemetry Collector') : vscode.l10n.t('k8s-monitoring: collects Dynamo pod logs'),
  });
  if (profile === 'compose') {
    items.push(
      { key: 'nats', label: 'NATS', description: vscode.l10n.t('with its Prometheus exporter') },
      { key: 'etcd', label: 'etcd', description: vscode.l10n.t("Dynamo's discovery store") },
    );
  }
  items.push({ key: 'dcgm', label: vscode.l10n.t('DCGM exporter (GPU)'), description: vscode.l10n.t('opt-in: needs an NVIDIA GPU') });
  return items;
}

function isPicked(c: StackComponents, key: ComponentItem['key']): boolean {
  if (key === 'otelcol' || key === 'alloy') return c.collector === key;
  if (key === 'collector') return false;
  return c[key] === true;
}

async function pickComponents(profile: StackProfile, initial: StackComponents): Promise<StackComponents | undefined> {
  let current = initial;
  for (;;) {
    const qp = vscode.window.createQuickPick<ComponentItem>();
    qp.title = vscode.l10n.t('Render Local Stack: components');
    qp.placeholder = vscode.l10n.t('Choose the components (GPU metrics are opt-in)');
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.items = componentItems(profile);
    qp.selectedItems = qp.items.filter((i) => isPicked(current, i.key));
    const picked = await new Promise<readonly ComponentItem[] | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!picked) return undefined;
    const keys = new Set(picked.map((i) => i.key));
    if (keys.has('otelcol') && keys.has('alloy')) {
      await vscode.window.showWarningMessage(vscode.l10n.t('Choose either the OpenTelemetry Collector or Alloy, not both.'), { modal: true });
      continue;
    }
    current = {
      prometheus: keys.has('prometheus'),
      alertmanager: keys.has('alertmanager'),
      grafana: keys.has('grafana'),
      tempo: keys.has('tempo'),
      loki: keys.has('loki'),
      collector: keys.has('otelcol') ? 'otelcol' : keys.has('alloy') ? 'alloy' : 'none',
      nats: keys.has('nats'),
      etcd: keys.has('etcd'),
      dcgm: keys.has('dcgm'),
    };
    const problems = componentProblems(profile, current);
    if (!problems.length) return current;
    await vscode.window.showWarningMessage(vscode.l10n.t('These components cannot make a working stack:'), { modal: true, detail: problems.join('\n') });
  }
}

function componentProblems(profile: StackProfile, components: StackComponents): string[] {
  return componentProblemsOf({ profile, components });
}

/** Built on use, so the strings come from the l10n bundle that is loaded by then. */
const portLabels = (): Record<keyof StackPorts, string> => ({
  grafana: 'Grafana',
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  tempo: 'Tempo',
  loki: 'Loki',
  otlpGrpc: 'OTLP gRPC',
  otlpHttp: 'OTLP HTTP',
  nats: 'NATS',
  natsMonitor: vscode.l10n.t('NATS monitoring'),
  etcd: 'etcd',
  alloy: vscode.l10n.t('Alloy UI'),
});

interface PortItem extends vscode.QuickPickItem {
  readonly port?: keyof StackPorts;
}

/**
 * A list of the published ports; picking one edits it in an InputBox, "Use these ports" goes on.
 * Ports something on this machine already listens on (the demo, another stack) are flagged,
 * with the next free one; going on with any of them asks whether to take the free ones.
 */
async function editPorts(profile: StackProfile, components: StackComponents, initial: StackPorts, bindAddress: string): Promise<StackPorts | undefined> {
  let ports = { ...initial };
  const PORT_LABELS = portLabels();
  const shown = (Object.keys(PORT_LABELS) as (keyof StackPorts)[]).filter((k) => portApplies(k, components));
  for (;;) {
    const clashes = await portClashes(Object.fromEntries(shown.map((k) => [k, ports[k]])) as Record<keyof StackPorts, number>, profile === 'compose' ? bindAddress : '127.0.0.1');
    const clashOf = (k: keyof StackPorts) => clashes.find((c) => c.name === k);
    const items: PortItem[] = [
      { label: vscode.l10n.t('$(check) Use these ports'), alwaysShow: true },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...shown.map((k): PortItem => {
        const clash = clashOf(k);
        return {
          port: k,
          label: clash ? `$(warning) ${PORT_LABELS[k]}` : PORT_LABELS[k],
          description: clash
            ? clash.free
              ? vscode.l10n.t('{0} — in use on this machine; {1} is free', String(ports[k]), String(clash.free))
              : vscode.l10n.t('{0} — in use on this machine', String(ports[k]))
            : String(ports[k]),
        };
      }),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Render Local Stack: ports'),
      placeHolder: profile === 'compose' ? vscode.l10n.t('Host ports the stack publishes; pick one to change it') : vscode.l10n.t('Local ports for kubectl port-forward; pick one to change it'),
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (!pick.port) {
      if (!clashes.length) return ports;
      const answer = await resolveClashes(clashes, PORT_LABELS);
      if (answer === 'keep') return ports;
      if (answer === 'free') return { ...ports, ...Object.fromEntries(clashes.filter((c) => c.free).map((c) => [c.name, c.free])) };
      if (answer === undefined) return undefined;
      continue;
    }
    const key = pick.port;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Port for {0}', PORT_LABELS[key]),
      value: String(clashOf(key)?.free ?? ports[key]),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const n = Number(text);
        if (!/^\d+$/.test(text.trim()) || !isValidPort(n)) return vscode.l10n.t('Enter a port number from 1 to 65535.');
        const clash = shown.find((k) => k !== key && ports[k] === n);
        return clash ? vscode.l10n.t('{0} already uses port {1}.', PORT_LABELS[clash], String(n)) : undefined;
      },
    });
    if (value !== undefined) ports = { ...ports, [key]: Number(value) };
  }
}

/** Some chosen ports are taken here: take the free ones offered, keep them anyway, or go back. */
async function resolveClashes(clashes: readonly PortClash<keyof StackPorts>[], labels: Record<keyof StackPorts, string>): Promise<'free' | 'keep' | 'back' | undefined> {
  const offered = clashes.filter((c) => c.free);
  const items: (vscode.QuickPickItem & { answer: 'free' | 'keep' | 'back' })[] = [
    ...(offered.length
      ? [{ answer: 'free' as const, label: vscode.l10n.t('$(check) Use the free ports'), detail: offered.map((c) => `${labels[c.name]} ${c.port} → ${c.free}`).join(', ') }]
      : []),
    { answer: 'keep', label: vscode.l10n.t('$(arrow-right) Keep these ports'), detail: vscode.l10n.t('Stop what listens on them before starting the stack.') },
    { answer: 'back', label: vscode.l10n.t('$(arrow-left) Back to the ports') },
  ];
  const list = clashes.map((c) => `${labels[c.name]} ${c.port}`).join(', ');
  const pick = await vscode.window.showQuickPick(items, {
    title: plural(clashes.length, {
      one: vscode.l10n.t('Render Local Stack: {0} port is in use on this machine', clashes.length),
      other: vscode.l10n.t('Render Local Stack: {0} ports are in use on this machine', clashes.length),
    }),
    placeHolder: list,
    ignoreFocusOut: true,
  });
  return pick?.answer;
}

function portApplies(k: keyof StackPorts, c: StackComponents): boolean {
  switch (k) {
    case 'otlpGrpc':
    case 'otlpHttp':
      return c.collector !== 'none' || c.tempo;
    case 'alloy':
      return c.collector === 'alloy';
    case 'nats':
    case 'natsMonitor':
      return c.nats;
    default:
      return c[k];
  }
}

async function editRetention(components: StackComponents, initial: StackRetention): Promise<StackRetention | undefined> {
  const steps: { key: keyof StackRetention; when: boolean; prompt: string; check: (s: string) => boolean; hint: string }[] = [
    { key: 'prometheus', when: components.prometheus, prompt: vscode.l10n.t('How long Prometheus keeps metrics'), check: isPromDuration, hint: vscode.l10n.t('A duration such as 15d or 36h.') },
    { key: 'tempo', when: components.tempo, prompt: vscode.l10n.t('How long Tempo keeps traces'), check: isGoDuration, hint: vscode.l10n.t('Hours, such as 72h (Tempo has no days).') },
    {
      key: 'loki',
      when: components.loki,
      prompt: vscode.l10n.t('How long Loki keeps logs'),
      check: (s) => isPromDuration(s) && durationMs(s) % 86_400_000 === 0,
      hint: vscode.l10n.t('Whole days, such as 7d or 168h.'),
    },
  ];
  const out: Record<keyof StackRetention, string> = { ...initial };
  for (const s of steps.filter((x) => x.when)) {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Render Local Stack: retention'),
      prompt: s.prompt,
      value: out[s.key],
      ignoreFocusOut: true,
      validateInput: (text) => (s.check(text.trim()) ? undefined : s.hint),
    });
    if (value === undefined) return undefined;
    out[s.key] = value.trim();
  }
  return out;
}

export async function pickProfile(initial?: StackProfile): Promise<StackProfile | undefined> {
  const items: (vscode.QuickPickItem & { profile: StackProfile })[] = [
    { profile: 'compose', label: 'Docker Compose', description: vscode.l10n.t('docker compose up -d on this machine') },
    { profile: 'k8s', label: 'Kubernetes', description: vscode.l10n.t('Helm values, PodMonitors, PrometheusRule, Grafana ConfigMaps') },
  ];
  if (initial === 'k8s') items.reverse();
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Render Local Stack: profile'), ignoreFocusOut: true });
  return pick?.profile;
}

/** The whole form. `last` pre-fills it with what the user chose the previous time. */
export async function askStackOptions(last: Partial<Record<StackProfile, StackOptionsInput>>): Promise<StackOptionsInput | undefined> {
  const profile = await pickProfile();
  if (!profile) return undefined;
  const prior = last[profile];
  const components = await pickComponents(profile, { ...defaultComponents(profile), ...prior?.components });
  if (!components) return undefined;
  const ports = await editPorts(profile, components, { ...DEFAULT_PORTS, ...prior?.ports }, prior?.bindAddress ?? '127.0.0.1');
  if (!ports) return undefined;
  const retention = await editRetention(components, { ...DEFAULT_RETENTION, ...prior?.retention });
  if (!retention) return undefined;
  const input: StackOptionsInput = { ...prior, profile, components, ports, retention };
  const problems = componentProblemsOf(input);
  if (problems.length) {
    await vscode.window.showErrorMessage(vscode.l10n.t('These choices cannot make a working stack:'), { modal: true, detail: problems.join('\n') });
    return undefined;
  }
  return input;
}

function componentProblemsOf(input: StackOptionsInput): string[] {
  try {
    resolveOptions(input);
    return [];
  } catch (err) {
    if (err instanceof StackOptionsError) return [...err.problems];
    throw err;
  }
}
