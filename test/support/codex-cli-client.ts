import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolveCodexBinary } from '../../src/codex/codex-binary';
import { makeCodexHome, TEST_MODELS, writeProviderConfig } from './codex-home';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from './recording-proxy';

/** One line of `codex exec --json` output (the 0.169 JSONL schema: thread.started, item.completed, …). */
export interface ExecEvent {
  type: string;
  thread_id?: string;
  item?: { id: string; type: string; text?: string; [key: string]: unknown };
  usage?: Record<string, number>;
  error?: { message: string };
  message?: string;
  [key: string]: unknown;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  events: ExecEvent[];
  /** The session id (`thread.started`), what `resume` takes. */
  threadId: string | null;
  /** Text of the last `agent_message` item. */
  lastMessage: string | null;
}

export interface CodexCliClientOptions {
  /** The gateway under test, e.g. `http://127.0.0.1:PORT` (`/v1` is appended). */
  gatewayUrl: string;
  /** Sent as `Authorization: Bearer …` through the provider's `env_key`. */
  apiKey?: string;
  model?: string;
  /** Extra `config.toml` lines, appended after the provider table (so: further tables, e.g. `[features]`). */
  extraConfig?: string[];
  timeoutMs?: number;
}

export interface CodexCliClient {
  home: string;
  workdir: string;
  /** Every request the CLI sent to the gateway (through a recording loopback proxy), in order. */
  requests: ProxiedRequest[];
  exec(prompt: string): Promise<ExecResult>;
  resume(threadId: string, prompt: string): Promise<ExecResult>;
  /** Stops the proxy and removes the client's CODEX_HOME and work directory. */
  dispose(): void;
}

const KEY_VAR = 'GATEWAY_API_KEY';
/** Flags that keep the client offline and fast, as the gateway runs its own app-servers. */
const GLOBAL_FLAGS = [
  '--disable',
  'shell_snapshot',
  '--disable',
  'plugins',
  '--disable',
  'unbounded_connection_retries',
];

/**
 * The pinned Codex CLI as a CLIENT of the gateway: a second, throwaway CODEX_HOME whose only model
 * provider is the gateway (`wire_api = "responses"`, key from `env_key`), driven by `codex exec`.
 * Codex then sends what it sends to OpenAI: `store: false`, the whole history every turn, reasoning
 * items with `encrypted_content` and `include: ["reasoning.encrypted_content"]`.
 */
export function codexCliClient(options: CodexCliClientOptions): CodexCliClient {
  const dirs = makeCodexHome(`${options.gatewayUrl}/v1`);
  const requests: ProxiedRequest[] = [];
  let proxy: Promise<RecordingProxy> | null = null;
  const run = async (args: string[], prompt: string): Promise<ExecResult> => {
    proxy ??= startRecordingProxy(options.gatewayUrl, requests).then((p) => {
      writeConfig(dirs.home, p.url, options);
      return p;
    });
    await proxy;
    return runExec(dirs, options, [...GLOBAL_FLAGS, ...args], prompt);
  };
  const common = ['--json', '--skip-git-repo-check', '-s', 'read-only', '-C', dirs.workdir];
  return {
    ...dirs,
    requests,
    exec: (prompt) => run(['exec', ...common, '-'], prompt),
    resume: (threadId, prompt) => run(['exec', ...common, 'resume', threadId, '-'], prompt),
    dispose: () => {
      void proxy?.then((p) => p.close());
      rmSync(dirs.home, { recursive: true, force: true });
      rmSync(dirs.workdir, { recursive: true, force: true });
    },
  };
}

/** The client's config.toml: its only provider is the gateway, reached at `baseUrl`. */
function writeConfig(home: string, baseUrl: string, options: CodexCliClientOptions): void {
  const extra = ['[analytics]', 'enabled = false', '', ...(options.extraConfig ?? [])];
  writeProviderConfig(home, {
    id: 'gateway',
    baseUrl: `${baseUrl}/v1`,
    model: options.model ?? TEST_MODELS.full,
    idleTimeoutMs: 20_000,
    envKey: KEY_VAR,
    extra,
  });
}

function runExec(
  dirs: { home: string; workdir: string },
  options: CodexCliClientOptions,
  args: string[],
  prompt: string,
): Promise<ExecResult> {
  const { bin, pathDir } = resolveCodexBinary();
  const env = {
    PATH: [pathDir, process.env.PATH ?? ''].filter(Boolean).join(':'),
    HOME: dirs.home,
    CODEX_HOME: dirs.home,
    [KEY_VAR]: options.apiKey ?? 'unused',
  };
  return new Promise<ExecResult>((resolve, reject) => {
    // The prompt goes on stdin, closed at once: exec reads a non-TTY stdin to EOF before it starts.
    const child = spawn(bin, args, { cwd: dirs.workdir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as ExecEvent);
      const messages = events.filter((e) => e.type === 'item.completed' && e.item?.type === 'agent_message');
      resolve({
        code,
        stdout,
        stderr,
        events,
        threadId: events.find((e) => e.type === 'thread.started')?.thread_id ?? null,
        lastMessage: messages[messages.length - 1]?.item?.text ?? null,
      });
    });
    child.stdin.end(prompt);
  });
}
