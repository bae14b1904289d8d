import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export interface RedisServer {
  /** `unix://<socket>`: no port to race for, and reachable only by this user. */
  url: string;
  socket: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits for it to go. */
  kill: () => Promise<void>;
  /** Starts it again on the same socket (empty: it never persists). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

function redisBinary(): string {
  const found = BINARIES.find((b) => existsSync(b));
  if (!found) throw new Error('redis-server is not installed: .ci/run installs it (apt-get install redis-server)');
  return found;
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(socket);
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => resolve(false));
  });
}

/** A real redis-server on a unix socket in a temp dir, without persistence, stopped by its own pid. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-wrapper-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const launch = async (): Promise<void> => {
    const proc = spawn(redisBinary(), ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], { stdio: 'ignore' });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    for (let i = 0; !(await answers(socket)); i++) {
      if (i > 200 || proc.exitCode !== null) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `unix://${socket}`,
    socket,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
