import Ajv from 'ajv';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  depends_on?: Record<string, { condition: string; required?: boolean }> | string[];
  healthcheck?: { test: string[] };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const gateway = compose.services.gateway!;
const login = compose.services.login!;
const HOME = '/var/lib/codex-wrapper/codex-home';

describe('deployment files', () => {
  it('docker compose config accepts docker-compose.yml (when the docker client and compose plugin exist)', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // Visible on purpose: this one check needs a tool CI may lack; the structural checks below still run.
      console.log(
        `SKIPPED CHECK: "docker compose config" (docker client or compose plugin missing: ${(probe.error?.message ?? probe.stderr).trim().split('\n')[0]})`,
      );
      return;
    }
    const out = execFileSync(
      'docker',
      ['compose', '-f', join(ROOT, 'docker-compose.yml'), '--profile', 'login', 'config', '--format', 'json'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const resolved = JSON.parse(out) as { services: Record<string, { ports?: { host_ip?: string }[] }> };
    expect(resolved.services.gateway?.ports?.[0]?.host_ip).toBe('127.0.0.1');
    expect(Object.keys(resolved.services).sort()).toEqual(['gateway', 'login']);
  });

  it('compose: the gateway on loopback, restarted unless stopped, env from .env, Codex home, work dir and response store on named volumes', () => {
    expect(gateway.ports).toEqual(['${GATEWAY_BIND:-127.0.0.1}:${GATEWAY_PORT:-8000}:8000']);
    expect(gateway.restart).toBe('unless-stopped');
    expect(gateway.init).toBe(true);
    expect(gateway.env_file).toEqual([{ path: '.env', required: false }]);
    expect(gateway.environment).toMatchObject({
      CODEX_HOME: HOME,
      CODEX_CONFIG_DIR: HOME,
      HOST: '0.0.0.0',
      PORT: '8000',
    });
    const { CODEX_WORKDIR: workdir, CODEX_DATA_DIR: data } = gateway.environment ?? {};
    expect(gateway.volumes).toEqual([`codex-home:${HOME}`, `codex-workdir:${workdir}`, `codex-data:${data}`]);
    expect(Object.keys(compose.volumes).sort()).toEqual(['codex-data', 'codex-home', 'codex-workdir', 'redis-data']);
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
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build).toBe(
      'tsc -p tsconfig.build.json',
    );
  });

  it('compose: Redis is opt-in (profile redis), durable, and evicts what has a TTL first; the gateway does not require it', () => {
    const redis = compose.services.redis!;
    expect(redis.profiles).toEqual(['redis']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(redis.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'volatile-lru']),
    );
    expect(gateway.depends_on).toEqual({ redis: { condition: 'service_started', required: false } });
    expect(gateway.environment?.REDIS_URL).toBeUndefined();
  });

  it('replicas compose: two gateways, each with its own Codex home and REPLICA_ID, one Redis, nginx in front with deploy/nginx.replicas.conf', () => {
    const replicas = parse(read('deploy/docker-compose.replicas.yml'), { merge: true }) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    const [g1, g2] = [replicas.services['gateway-1']!, replicas.services['gateway-2']!];
    for (const [g, n] of [
      [g1, 1],
      [g2, 2],
    ] as const) {
      expect(g.environment).toMatchObject({
        REDIS_URL: 'redis://redis:6379',
        REPLICA_ID: `gateway-${n}`,
        CODEX_HOME: HOME,
        CODEX_CONFIG_DIR: HOME,
      });
      expect(g.volumes).toContain(`codex-home-${n}:${HOME}`);
      expect(g.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
      expect(replicas.services[`login-${n}`]?.volumes).toEqual([`codex-home-${n}:${HOME}`]);
    }
    expect(replicas.services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(replicas.services.nginx?.volumes).toEqual(['./nginx.replicas.conf:/etc/nginx/conf.d/default.conf:ro']);
    expect(replicas.services.nginx?.ports).toEqual(['${GATEWAY_BIND:-127.0.0.1}:${GATEWAY_PORT:-8000}:80']);
    const site = read('deploy/nginx.replicas.conf');
    expect(site).toMatch(/upstream codex_wrapper \{\s*least_conn;/);
    expect(site).toMatch(/server gateway-1:8000 max_fails=0;\s*server gateway-2:8000 max_fails=0;/);
    expect(site).toMatch(/^\s*proxy_next_upstream error timeout http_429 non_idempotent;$/m);
    // A 5xx may come from a turn that already ran: retrying it elsewhere would run it twice.
    expect(site).not.toMatch(/^\s*proxy_next_upstream .*http_5\d\d/m);
  });

  describe('compose files against the compose-spec JSON schema and dclint', () => {
    const FILES = ['docker-compose.yml', 'deploy/docker-compose.replicas.yml'];
    // The schema dclint bundles (compose-spec); its https draft-07 $schema URI is not one ajv knows, hence validateSchema: false.
    const schema = JSON.parse(read('node_modules/dclint/schemas/compose.schema.json')) as object;
    const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);
    const lint = (files: string[]) =>
      // Files first: --disable-rule takes every argument after it. Disabled on purpose: build + image names
      // the local image, and the port's interface comes from ${GATEWAY_BIND}, which dclint cannot read.
      spawnSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'dclint', 'bin', 'dclint.cjs'),
          ...files,
          '-q',
          '--no-color',
          '--disable-rule',
          'no-build-and-image',
          'no-unbound-port-interfaces',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );

    it.each(FILES)('%s is valid against the compose-spec schema', (file) => {
      const ok = validate(parse(read(file), { merge: true }));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });

    it('the schema catches a misspelt key (so a passing check means something)', () => {
      const broken = parse(read('docker-compose.yml'), { merge: true }) as {
        services: Record<string, Record<string, unknown>>;
      };
      broken.services.gateway!.restartt = 'always';
      expect(validate(broken)).toBe(false);
    });

    it('dclint finds no error in either file, and does find one in a broken copy', () => {
      const clean = lint(FILES);
      expect(clean.stdout + clean.stderr).not.toMatch(/error/);
      expect(clean.status).toBe(0);
      const dir = mkdtempSync(join(tmpdir(), 'compose-'));
      writeFileSync(
        join(dir, 'docker-compose.yml'),
        read('docker-compose.yml').replace('restart: unless-stopped', 'restartt: unless-stopped'),
      );
      expect(lint([join(dir, 'docker-compose.yml')]).status).not.toBe(0);
    });
  });
});
