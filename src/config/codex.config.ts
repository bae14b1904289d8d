import { ConfigType, registerAs } from '@nestjs/config';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateEnv } from './env.validation';
import { dataDirOf, sandboxTmpExclusions, workdirOf } from './paths';

// The gateway's own secrets never reach Codex or the commands it runs.
const PRIVATE_VARS = new Set(['PROXY_API_KEY', 'PROXY_API_KEYS_FILE', 'REDIS_URL']);

function childEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !PRIVATE_VARS.has(k)) out[k] = v;
  return out;
}

/** Everything the Codex engine needs, resolved to absolute paths once at boot. */
export const codexConfig = registerAs('codex', () => {
  const env = validateEnv(process.env);
  if (env.CODEX_SANDBOX_MODE === 'danger-full-access' && !env.CODEX_ALLOW_DANGER_FULL_ACCESS) {
    throw new Error('CODEX_SANDBOX_MODE=danger-full-access needs CODEX_ALLOW_DANGER_FULL_ACCESS=1.');
  }
  const home = resolve(env.CODEX_CONFIG_DIR ?? env.CODEX_HOME ?? join(homedir(), '.codex'));
  return {
    binPath: env.CODEX_PATH ?? null,
    home,
    workdir: workdirOf(env),
    dataDir: dataDirOf(env),
    sandboxMode: env.CODEX_SANDBOX_MODE,
    /** The most permissive sandbox a request may ask for (the server default is always allowed). */
    maxRequestSandbox: env.CODEX_MAX_REQUEST_SANDBOX,
    allowRequestNetwork: env.CODEX_ALLOW_REQUEST_NETWORK,
    sandboxTmp: sandboxTmpExclusions(env),
    reasoningEffort: env.CODEX_REASONING_EFFORT,
    hideReasoning: env.CODEX_HIDE_REASONING,
    workspaceNetworkAccess: env.CODEX_WORKSPACE_NETWORK_ACCESS,
    localOnly: env.CODEX_LOCAL_ONLY,
    allowDangerFullAccess: env.CODEX_ALLOW_DANGER_FULL_ACCESS,
    timeoutMs: env.CODEX_TIMEOUT * 1000,
    poolSize: env.CODEX_POOL_SIZE,
    spareThreads: env.CODEX_SPARE_THREADS,
    maxParallel: env.CODEX_MAX_PARALLEL_REQUESTS,
    maxQueue: env.CODEX_MAX_QUEUE,
    queueTimeoutMs: env.CODEX_QUEUE_TIMEOUT * 1000,
    rpcTimeoutMs: env.CODEX_RPC_TIMEOUT * 1000,
    // 0 turns the liveness probe off.
    watchdogIntervalMs: env.CODEX_WATCHDOG_INTERVAL * 1000,
    watchdogTimeoutMs: env.CODEX_WATCHDOG_TIMEOUT * 1000,
    // 0 keeps stored responses until they are deleted.
    responsesTtlMs: env.RESPONSES_TTL_DAYS * 24 * 3600 * 1000,
    // A turn that ended its HTTP answer with client tool calls waits this long for their results.
    toolParkMs: env.CODEX_TOOL_PARK_SECONDS * 1000,
    // 0 turns parking off: every tool follow-up rebuilds its conversation on a new thread.
    maxParkedTurns: env.CODEX_MAX_PARKED_TURNS,
    // A conversation's thread stays loaded this long after its turn, for its next turn (chat affinity, stored threads).
    idleThreadMs: env.CODEX_IDLE_THREAD_SECONDS * 1000,
    // 0 turns idle threads off: every turn opens its thread and unloads it at the end, as before.
    maxIdleThreads: env.CODEX_MAX_IDLE_THREADS,
    responsesMaxRecordBytes: env.RESPONSES_MAX_RECORD_BYTES,
    deprecatedModel: env.CODEX_MODEL ?? null,
    childEnv: childEnv(),
    // Read by Codex for its built-in providers; used here only to tell whether they are local (CODEX_LOCAL_ONLY).
    providerEnv: {
      openaiBaseUrl: process.env.OPENAI_BASE_URL || null,
      ossBaseUrl: process.env.CODEX_OSS_BASE_URL || null,
      ossPort: process.env.CODEX_OSS_PORT || null,
    },
  };
});

export type CodexConfig = ConfigType<typeof codexConfig>;
