import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeCodexHome } from './codex-home';
import { builtServerEntry } from './server-build';
import { FakeProvider } from './fake-provider';

const ROOT = join(__dirname, '..', '..');

/** The gateway as production runs it: its own Node process, built from src/ (server-build.ts), logging JSON to stdout. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Its CODEX_HOME: every Codex process it starts carries CODEX_HOME=<home> in its environment. */
  home: string;
  /** Its Codex home and work dir, to start it again on the same ones (restart tests). */
  dirs: { home: string; workdir: string };
  /** Every stdout line so far (JSON log records). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the process to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServerProcess(
  provider: FakeProvider,
  env: Record<string, string> = {},
  dirs: { home: string; workdir: string } = makeCodexHome(provider.baseUrl),
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [builtServerEntry()], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CODEX_ENV_FILE: '/nonexistent/.env',
      CODEX_CONFIG_DIR: dirs.home,
      CODEX_WORKDIR: dirs.workdir,
      HOST: '127.0.0.1',
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_FORMAT: 'json',
      ...env,
    },
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time; stderr: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    void exited.then(() => reject(new Error(`server exited before listening; stderr: ${stderr}`)));
  });
  // Wait until the engine is up and the catalog loaded.
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    home: dirs.home,
    dirs,
    lines,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
