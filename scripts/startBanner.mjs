// The closing block of `npm start`: where to open VS Code, what the demo serves, what to try
// first. Built from what actually started, so a port that was taken shows as such.

const pad = (s, n) => s + ' '.repeat(Math.max(0, n - s.length));

/**
 * @param {{ url: string, started: {name: string, url: string}[], skipped: {name: string, reason: string}[],
 *   traceFile: string, traceId?: string, requestId?: string, commands: Map<string, string>, logFile: string, cli: string }} o
 *   `commands` maps the contributed command ids to their English titles: a step is only offered
 *   for a command this build has.
 */
export function startBanner(o) {
  const width = Math.max(...[...o.started, ...o.skipped].map((b) => b.name.length), 10);
  const has = (id) => o.commands.has(id);
  const title = (id) => `Spanlens: ${o.commands.get(id)}`;
  const tries = [
    'The Spanlens view in the activity bar, and the status bar, show each backend connected.',
    ...(has('spanlens.openTraceFile') ? [`In the Explorer, right-click traces/${o.traceFile} → ${title('spanlens.openTraceFile')}`] : []),
    ...(has('spanlens.openTraceById') && o.traceId ? [`F1 → ${title('spanlens.openTraceById')} ${o.traceId}`] : []),
    ...(has('spanlens.lookupRequestId') && o.requestId ? [`F1 → ${title('spanlens.lookupRequestId')} ${o.requestId}`] : []),
    ...(has('spanlens.gettingStarted') ? [`F1 → ${title('spanlens.gettingStarted')} for the walkthrough`] : []),
    `In a terminal: node ${o.cli} query prom up --since 15m`,
  ];
  const rule = '─'.repeat(72);
  return [
    '',
    rule,
    '  Spanlens is running in VS Code. Open:',
    '',
    `    ${o.url}`,
    '',
    o.started.length ? "  Demo backends, on Spanlens's default endpoints:" : '  No demo backend started.',
    ...o.started.map((b) => `    ${pad(b.name, width)}  ${b.url}`),
    ...o.skipped.map((b) => `    ${pad(b.name, width)}  not started: ${b.reason}`),
    '',
    '  Try first:',
    ...tries.map((t, i) => `    ${i + 1}. ${t}`),
    '',
    `  Build and server log: ${o.logFile}`,
    '  Ctrl+C stops everything.',
    rule,
    '',
  ].join('\n');
}
