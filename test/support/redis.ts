import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARIES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

export interface RedisServer {
  /** `unix://<socket>`: no port to race for, and reachable only by this user. With TLS: `rediss://[:password@]127.0.0.1:<port>`. */
  url: string;
  socket: string;
  /** With TLS: the PEM file of its self-signed certificate, to give as REDIS_TLS_CA_FILE. */
  caFile: string | null;
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
      // Without the password a live server answers NOAUTH: it is up all the same.
      resolve(/^(\+PONG|-NOAUTH)/.test(d.toString()));
    });
    c.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'redis.crt');
  const key = join(dir, 'redis.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

export interface RedisOptions {
  /** Also listen with TLS on a loopback port (the URL then points there). */
  tls?: boolean;
  /** `requirepass`. */
  password?: string;
}

/** A real redis-server on a unix socket in a temp dir, without persistence, stopped by its own pid. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-wrapper-redis-'));
  const socket = join(dir, 'redis.sock');
  const tls = options.tls ? { ...selfSigned(dir), port: await freePort() } : null;
  const extra = [
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(tls
      ? [
          '--tls-port',
          String(tls.port),
          '--bind',
          '127.0.0.1',
          '--tls-cert-file',
          tls.cert,
          '--tls-key-file',
          tls.key,
          '--tls-auth-clients',
          'no',
        ]
      : []),
  ];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const launch = async (): Promise<void> => {
    const proc = spawn(
      redisBinary(),
      [
        '--port',
        '0',
        '--unixsocket',
        socket,
        '--unixsocketperm',
        '700',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--loglevel',
        'warning',
        ...extra,
      ],
      { stdio: 'ignore' },
    );
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
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: tls
      ? `rediss://${auth}127.0.0.1:${tls.port}`
      : `unix://${socket}${options.password ? `?password=${encodeURIComponent(options.password)}` : ''}`,
    socket,
    caFile: tls?.cert ?? null,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
