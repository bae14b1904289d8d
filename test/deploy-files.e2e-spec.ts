import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  restart?: string;
  init?: boolean;
  stop_grace_period?: string;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const gateway = compose.services.gateway!;
const login = compose.services.login!;
const HOME = '/var/lib/codex-wrapper/codex-home';

describe('deployment files', () => {
  it('docker compose config accepts docker-compose.yml (when the docker client and compose plugin exist)', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // Visible on purpose: this one check needs a tool CI may lack; the structural checks below still run.
      console.log(`SKIPPED CHECK: "docker compose config" (docker client or compose plugin missing: ${(probe.error?.message ?? probe.stderr).trim().split('\n')[0]})`);
      return;
    }
    const out = execFileSync('docker', ['compose', '-f', join(ROOT, 'docker-compose.yml'), '--profile', 'login', 'config', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    const resolved = JSON.parse(out) as { services: Record<string, { ports?: { host_ip?: string }[] }> };
    expect(resolved.services.gateway?.ports?.[0]?.host_ip).toBe('127.0.0.1');
    expect(Object.keys(resolved.services).sort()).toEqual(['gateway', 'login']);
  });

  it('compose: the gateway on loopback, restarted unless stopped, env from .env, Codex home, work dir and response store on named volumes', () => {
    expect(gateway.ports).toEqual(['${GATEWAY_BIND:-127.0.0.1}:${GATEWAY_PORT:-8000}:8000']);
    expect(gateway.restart).toBe('unless-stopped');
    expect(gateway.init).toBe(true);
    expect(gateway.env_file).toEqual([{ path: '.env', required: false }]);
    expect(gateway.environment).toMatchObject({ CODEX_HOME: HOME, CODEX_CONFIG_DIR: HOME, HOST: '0.0.0.0', PORT: '8000' });
    const { CODEX_WORKDIR: workdir, CODEX_DATA_DIR: data } = gateway.environment ?? {};
    expect(gateway.volumes).toEqual([`codex-home:${HOME}`, `codex-workdir:${workdir}`, `codex-data:${data}`]);
    expect(Object.keys(compose.volumes).sort()).toEqual(['codex-data', 'codex-home', 'codex-workdir']);
    // Docker must wait longer than the gateway's own default grace (30 s) before SIGKILL.
    expect(Number.parseInt(gateway.stop_grace_period ?? '10', 10)).toBeGreaterThan(30);
  });

  it('compose: a one-shot login profile signs in into the very volume and path the gateway reads', () => {
    expect(login.profiles).toEqual(['login']);
    expect(login.command).toEqual(['codex', 'login', '--device-auth']);
    expect(login.image).toBe(gateway.image);
    expect(login.volumes).toEqual([`codex-home:${HOME}`]);
    expect(login.environment).toMatchObject({ CODEX_HOME: HOME, CODEX_CONFIG_DIR: HOME });
    expect(login.restart).toBe('no');
  });

  it('Dockerfile: multi-stage on Node 20 slim, production dependencies only, non-root, healthcheck, built server', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.match(/^FROM node:20-[\w-]*slim AS \w+$/gm) ?? [];
    expect(stages).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(dockerfile).toContain(`CODEX_HOME=${HOME}`);
    const env = gateway.environment ?? {};
    expect(dockerfile).toContain(`VOLUME ["${HOME}", "${env.CODEX_WORKDIR}", "${env.CODEX_DATA_DIR}"]`);
    expect(dockerfile).toContain(`CODEX_DATA_DIR=${env.CODEX_DATA_DIR}`);
    // The image runs the build output, so the build script must stay what the build stage calls.
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build).toBe('tsc -p tsconfig.build.json');
  });
});
