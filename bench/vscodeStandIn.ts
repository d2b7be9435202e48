/**
 * A stand-in for the `vscode` module, shaped like the real API for what Spanlens touches while
 * it activates: it records every registration (commands, views, status bar items, providers,
 * context keys) so the bench can check that activate really did its work, and it throws on any
 * member it does not model, so a new API call during activation fails the bench loudly instead
 * of being measured as free. Settings come from package.json's defaults, as in a fresh profile.
 */

type Listener<T> = (e: T) => unknown;

export interface Recorded {
  readonly commands: string[];
  readonly treeViews: string[];
  readonly statusBarItems: { id: string; shown: boolean; text: string }[];
  readonly providers: string[];
  readonly contextKeys: Record<string, unknown>;
  readonly messages: string[];
}

export const recorded: Recorded = { commands: [], treeViews: [], statusBarItems: [], providers: [], contextKeys: {}, messages: [] };

/** A namespace object that refuses members it does not model. */
function strict<T extends object>(name: string, members: T): T {
  return new Proxy(members, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key, receiver);
      if (key === 'then' || key === 'toJSON') return undefined;
      throw new Error(`the vscode stand-in has no ${name}.${key}: model it in bench/vscodeStandIn.ts`);
    },
  });
}

export class Disposable {
  constructor(private readonly callOnDispose: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const never = <T>(): ((l: Listener<T>) => Disposable) => new EventEmitter<T>().event;

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(text: string): Uri {
    const u = new URL(text);
    return new Uri(u.protocol.replace(/:$/, ''), decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''));
  }
  static from(c: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path ?? '', c.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path.replace(/\/$/, ''), ...segments].join('/'), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string; query?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path, change.query ?? this.query);
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class TreeItem {
  constructor(
    readonly label: string,
    readonly collapsibleState = 0,
  ) {}
}
export class MarkdownString {
  value = '';
  isTrusted = false;
  supportHtml = false;
  constructor(value = '') {
    this.value = value;
  }
  appendText(t: string): this {
    this.value += t;
    return this;
  }
  appendMarkdown(t: string): this {
    this.value += t;
    return this;
  }
  appendCodeblock(t: string): this {
    this.value += `\n\`\`\`\n${t}\n\`\`\`\n`;
    return this;
  }
}
export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}
export class Diagnostic {
  source?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}
export class RelativePattern {
  constructor(
    readonly base: unknown,
    readonly pattern: string,
  ) {}
}

export const StatusBarAlignment = { Left: 1, Right: 2 } as const;
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 } as const;
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;
export const QuickPickItemKind = { Separator: -1, Default: 0 } as const;
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 } as const;
export const ExtensionMode = { Production: 1, Development: 2, Test: 3 } as const;

function format(message: string, args: unknown[]): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

export const l10n = strict('l10n', {
  t: (message: string | { message: string; args?: unknown[] }, ...args: unknown[]): string =>
    typeof message === 'string' ? format(message, args) : format(message.message, message.args ?? []),
  bundle: undefined,
  uri: undefined,
});

export const env = strict('env', { language: 'en', appName: 'Visual Studio Code', uiKind: 1 });

const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = strict('commands', {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown): Disposable {
    if (registered.has(id)) throw new Error(`command '${id}' already exists`);
    registered.set(id, fn);
    recorded.commands.push(id);
    return new Disposable(() => registered.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    if (id === 'setContext') {
      recorded.contextKeys[String(args[0])] = args[1];
      return undefined;
    }
    const fn = registered.get(id);
    return fn ? fn(...args) : undefined;
  },
  getCommands: async (): Promise<string[]> => [...registered.keys()],
});

function logChannel(name: string): Record<string, unknown> {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return strict(`OutputChannel(${name})`, {
    name,
    logLevel: 2,
    onDidChangeLogLevel: never<number>(),
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    append: (t: string) => void lines.push(t),
    appendLine: (t: string) => void lines.push(t),
    replace: () => undefined,
    clear: () => void (lines.length = 0),
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  });
}

export const window = strict('window', {
  createOutputChannel: (name: string) => logChannel(name),
  createTreeView(id: string, _options: unknown) {
    recorded.treeViews.push(id);
    return strict(`TreeView(${id})`, {
      visible: false,
      title: undefined as string | undefined,
      description: undefined as string | undefined,
      message: undefined as string | undefined,
      badge: undefined,
      selection: [] as unknown[],
      onDidChangeVisibility: never<{ visible: boolean }>(),
      onDidChangeSelection: never<unknown>(),
      onDidExpandElement: never<unknown>(),
      onDidCollapseElement: never<unknown>(),
      reveal: async () => undefined,
      dispose: () => undefined,
    });
  },
  createStatusBarItem(id: string, _alignment?: number, _priority?: number) {
    const entry = { id, shown: false, text: '' };
    recorded.statusBarItems.push(entry);
    const item = {
      id,
      name: undefined as string | undefined,
      tooltip: undefined as unknown,
      command: undefined as unknown,
      backgroundColor: undefined as unknown,
      color: undefined as unknown,
      accessibilityInformation: undefined as unknown,
      get text(): string {
        return entry.text;
      },
      set text(t: string) {
        entry.text = t;
      },
      show: () => void (entry.shown = true),
      hide: () => void (entry.shown = false),
      dispose: () => void (entry.shown = false),
    };
    return strict(`StatusBarItem(${id})`, item);
  },
  registerCustomEditorProvider(viewType: string) {
    recorded.providers.push(`customEditor:${viewType}`);
    return new Disposable();
  },
  registerWebviewPanelSerializer(viewType: string) {
    recorded.providers.push(`webviewPanelSerializer:${viewType}`);
    return new Disposable();
  },
  registerWebviewViewProvider(viewId: string) {
    recorded.providers.push(`webviewView:${viewId}`);
    return new Disposable();
  },
  registerTreeDataProvider(viewId: string) {
    recorded.treeViews.push(viewId);
    return new Disposable();
  },
  registerTerminalLinkProvider() {
    recorded.providers.push('terminalLink');
    return new Disposable();
  },
  showInformationMessage: async (m: string) => void recorded.messages.push(m),
  showWarningMessage: async (m: string) => void recorded.messages.push(m),
  showErrorMessage: async (m: string) => void recorded.messages.push(m),
  activeTextEditor: undefined,
  visibleTextEditors: [],
  onDidChangeActiveTextEditor: never<unknown>(),
});

/** `contributes.configuration` defaults, keyed by full setting id. */
let defaults: Record<string, unknown> = {};

export function useConfigurationDefaults(packageJson: { contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } } }): void {
  defaults = Object.fromEntries(Object.entries(packageJson.contributes?.configuration?.properties ?? {}).map(([k, v]) => [k, v.default]));
}

export const workspace = strict('workspace', {
  getConfiguration(section?: string) {
    const full = (key: string): string => (section ? `${section}.${key}` : key);
    return strict(`WorkspaceConfiguration(${section ?? ''})`, {
      get: <T>(key: string, fallback?: T): T | undefined => (full(key) in defaults ? (defaults[full(key)] as T) : fallback),
      has: (key: string) => full(key) in defaults,
      inspect: (key: string) => ({ key: full(key), defaultValue: defaults[full(key)] }),
      update: async () => undefined,
    });
  },
  onDidChangeConfiguration: never<unknown>(),
  onDidGrantWorkspaceTrust: never<void>(),
  onDidChangeWorkspaceFolders: never<unknown>(),
  isTrusted: true,
  workspaceFolders: undefined,
  name: undefined,
  registerTextDocumentContentProvider(scheme: string) {
    recorded.providers.push(`textDocumentContent:${scheme}`);
    return new Disposable();
  },
});

export const languages = strict('languages', {
  registerDocumentLinkProvider() {
    recorded.providers.push('documentLink');
    return new Disposable();
  },
  registerHoverProvider() {
    recorded.providers.push('hover');
    return new Disposable();
  },
  createDiagnosticCollection: (name: string) => {
    recorded.providers.push(`diagnostics:${name}`);
    return { name, set: () => undefined, delete: () => undefined, clear: () => undefined, forEach: () => undefined, dispose: () => undefined };
  },
});

function memento(): Record<string, unknown> {
  const values = new Map<string, unknown>();
  return strict('Memento', {
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  });
}

/** An ExtensionContext as VS Code hands it to activate, for an extension installed at `root`. */
export function extensionContext(root: string, packageJson: Record<string, unknown>): Record<string, unknown> {
  const extensionUri = Uri.file(root);
  const secretsChanged = new EventEmitter<{ key: string }>();
  const secrets = new Map<string, string>();
  return strict('ExtensionContext', {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri,
    extensionPath: root,
    extensionMode: ExtensionMode.Production,
    extension: strict('Extension', { id: `${String(packageJson.publisher)}.${String(packageJson.name)}`, extensionUri, extensionPath: root, packageJSON: packageJson, isActive: false }),
    secrets: strict('SecretStorage', {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => {
        secrets.set(key, value);
        secretsChanged.fire({ key });
      },
      delete: async (key: string) => {
        secrets.delete(key);
        secretsChanged.fire({ key });
      },
      keys: async () => [...secrets.keys()],
      onDidChange: secretsChanged.event,
    }),
    workspaceState: memento(),
    globalState: memento(),
    storageUri: undefined,
    globalStorageUri: Uri.file(`${root}/.global-storage`),
    logUri: Uri.file(`${root}/.log`),
    asAbsolutePath: (rel: string) => `${root}/${rel}`,
  });
}
