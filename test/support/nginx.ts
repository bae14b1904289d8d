import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SITE = join(__dirname, '..', '..', 'deploy', 'nginx.conf');

export interface Nginx {
  url: string;
  stop: () => Promise<void>;
}

function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'])
    if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: .ci/run installs it (apt-get install nginx-light)');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** deploy/nginx.conf as shipped, with only its upstream and listen addresses moved to loopback test ports. */
export function renderSite(upstreamPort: number, listenPort: number): string {
  const site = readFileSync(SITE, 'utf8');
  const upstream = 'server 127.0.0.1:8000;';
  const listen = /^(\s*)listen 80;$/m;
  if (!site.includes(upstream) || !listen.test(site))
    throw new Error('deploy/nginx.conf no longer has the upstream/listen lines the test rewrites');
  return site
    .replace(upstream, `server 127.0.0.1:${upstreamPort};`)
    .replace(listen, `$1listen 127.0.0.1:${listenPort};`);
}

const REPLICAS_SITE = join(__dirname, '..', '..', 'deploy', 'nginx.replicas.conf');

/** deploy/nginx.replicas.conf as shipped, with its two upstream servers and listen line moved to loopback test ports. */
export function renderReplicasSite(upstreamPorts: [number, number], listenPort: number): string {
  let site = readFileSync(REPLICAS_SITE, 'utf8');
  const listen = /^(\s*)listen 80;$/m;
  for (const [i, port] of upstreamPorts.entries()) {
    const line = `server gateway-${i + 1}:8000 `;
    if (!site.includes(line))
      throw new Error(`deploy/nginx.replicas.conf no longer has the line '${line}' the test rewrites`);
    site = site.replace(line, `server 127.0.0.1:${port} `);
  }
  if (!listen.test(site)) throw new Error('deploy/nginx.replicas.conf no longer has the listen line the test rewrites');
  return site.replace(listen, `$1listen 127.0.0.1:${listenPort};`);
}

/**
 * Runs Debian's nginx as a single foreground process on a loopback port, in front of `upstreamPort`
 * (deploy/nginx.conf), or of two replicas (deploy/nginx.replicas.conf).
 */
export async function startNginx(upstream: number | [number, number]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-wrapper-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  writeFileSync(
    join(dir, 'site.conf'),
    typeof upstream === 'number' ? renderSite(upstream, port) : renderReplicasSite(upstream, port),
  );
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${dir}/access.log;`,
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/${t};`,
      ),
      `  include ${dir}/site.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    nginxBinary(),
    ['-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/healthz`).catch(() => null))?.status === 200) break;
    if (i > 100 || child.exitCode !== null)
      throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
