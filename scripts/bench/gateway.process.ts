import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BenchTarget, RunResult } from './bench.types';
import { chatRequest } from './gateway-http.client';

const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 60_000;

/** Compiles the server exactly as `npm start` does, so the benchmark runs the production build. */
export function buildServer(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

/**
 * The gateway as a separate `node dist/main.js` process, as deployed: its RSS is the server's
 * alone, not mixed with the load generator, the fake provider or the baseline client.
 */
export class GatewayProcess implements BenchTarget {
  readonly name = 'gateway (HTTP)';
  readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private output = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly baseUrl: string,
    readonly model: string,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  static async start(env: Record<string, string>, model: string): Promise<GatewayProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
      env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
      cwd: ROOT,
      stdio: 'pipe',
    });
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`, model);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // The model catalog loads once the first app-server is up; before that /v1/models is 503.
    while ((await status(`${gateway.baseUrl}/v1/models`)) !== 200) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`gateway did not become ready:\n${gateway.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return gateway;
  }

  get rootPid(): number {
    return this.child.pid ?? -1;
  }

  get recentOutput(): string {
    return this.output;
  }

  run(prompt: string, stream: boolean): Promise<RunResult> {
    return chatRequest(this.agent, this.baseUrl, this.model, prompt, stream);
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
