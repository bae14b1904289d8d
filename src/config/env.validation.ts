import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { blankToUndefined, toBool, toInt } from './env-parsing';
import { IsTrustProxy, toTrustProxy, TrustProxy } from './trust-proxy';

export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/** A hard bound on MAX_MESSAGES, so one request can never make validation itself expensive. */
export const MESSAGES_CEILING = 10_000;

/** Every environment variable the server reads, validated once at boot. */
export class EnvVars {
  @IsOptional() @Transform(blankToUndefined) @IsString() PROXY_API_KEY?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() PROXY_API_KEYS_FILE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) RATE_LIMIT_PER_MINUTE = 60;
  @IsOptional() @Transform(toTrustProxy) @IsTrustProxy() TRUST_PROXY: TrustProxy = false;
  @IsOptional() @Transform(blankToUndefined) @IsString() CORS_ORIGINS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(MESSAGES_CEILING) MAX_MESSAGES = 1000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) MAX_INPUT_CHARS = 1_000_000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) MAX_IMAGES_PER_REQUEST = 8;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) IMAGE_MAX_BYTES = 10 * 1024 * 1024;
  @IsOptional() @Transform(toBool) @IsBoolean() IMAGE_FETCH_ENABLED = false;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(120) IMAGE_FETCH_TIMEOUT = 10;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10) IMAGE_FETCH_MAX_REDIRECTS = 3;
  @IsOptional() @Transform(blankToUndefined) @IsString() IMAGE_FETCH_ALLOW_CIDRS?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() IMAGE_TEMP_DIR?: string;

  @IsOptional() @Transform(blankToUndefined) @IsString() HOST?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 8000;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) SSE_KEEPALIVE_SECONDS = 15;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) SHUTDOWN_GRACE_SECONDS = 30;
  @IsOptional() @Transform(toBool) @IsBoolean() METRICS_PUBLIC = false;
  @IsOptional() @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';
  @IsOptional() @IsIn(LOG_FORMATS) LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'auto';
  @IsOptional() @Transform(toBool) @IsBoolean() LOG_PROMPTS = false;

  @IsOptional() @Transform(blankToUndefined) @IsString() @MinLength(1) CODEX_PATH?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() CODEX_WORKDIR?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() CODEX_CONFIG_DIR?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() CODEX_HOME?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() CODEX_DATA_DIR?: string;
  @IsOptional() @IsIn(SANDBOX_MODES) CODEX_SANDBOX_MODE: SandboxMode = 'read-only';
  @IsOptional() @IsIn(SANDBOX_MODES) CODEX_MAX_REQUEST_SANDBOX: SandboxMode = 'danger-full-access';
  @IsOptional() @Transform(toBool) @IsBoolean() CODEX_ALLOW_REQUEST_NETWORK = true;
  @IsOptional() @IsIn(REASONING_EFFORTS) CODEX_REASONING_EFFORT = 'medium';
  @IsOptional() @Transform(toBool) @IsBoolean() CODEX_HIDE_REASONING = false;
  @IsOptional() @Transform(toBool) @IsBoolean() CODEX_WORKSPACE_NETWORK_ACCESS = false;
  @IsOptional() @Transform(toBool) @IsBoolean() CODEX_LOCAL_ONLY = false;
  @IsOptional() @Transform(toBool) @IsBoolean() CODEX_ALLOW_DANGER_FULL_ACCESS = false;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_TIMEOUT = 120;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(16) CODEX_POOL_SIZE = 1;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(64) CODEX_SPARE_THREADS = 8;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_MAX_PARALLEL_REQUESTS = 16;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) CODEX_MAX_QUEUE = 64;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_QUEUE_TIMEOUT = 30;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_RPC_TIMEOUT = 30;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) CODEX_WATCHDOG_INTERVAL = 15;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_WATCHDOG_TIMEOUT = 10;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) RESPONSES_TTL_DAYS = 30;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_TOOL_PARK_SECONDS = 300;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) CODEX_MAX_PARKED_TURNS = 256;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) CODEX_IDLE_THREAD_SECONDS = 300;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) CODEX_MAX_IDLE_THREADS = 16;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) RESPONSES_MAX_RECORD_BYTES = 16 * 1024 * 1024;
  @IsOptional() @Transform(blankToUndefined) @IsString() CODEX_MODEL?: string;

  @IsOptional() @Transform(blankToUndefined) @IsString() REDIS_URL?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() REDIS_TLS_CA_FILE?: string;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9:_.-]{1,32}$/) REDIS_KEY_PREFIX = 'cw:';
  @IsOptional() @Transform(blankToUndefined) @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/) REPLICA_ID?: string;
  @IsOptional() @Transform(blankToUndefined) @IsString() USAGE_ADMIN_KEYS?: string;
}

/** Validates `env` against {@link EnvVars}; throws one error listing every bad variable. */
export function validateEnv(env: Record<string, string | undefined>): EnvVars {
  const known = Object.fromEntries(
    Object.keys(new EnvVars())
      .concat([
        'PROXY_API_KEY',
        'PROXY_API_KEYS_FILE',
        'CORS_ORIGINS',
        'HOST',
        'CODEX_PATH',
        'CODEX_WORKDIR',
        'CODEX_CONFIG_DIR',
        'CODEX_HOME',
        'CODEX_DATA_DIR',
        'CODEX_MODEL',
        'IMAGE_FETCH_ALLOW_CIDRS',
        'IMAGE_TEMP_DIR',
        'REDIS_URL',
        'REDIS_TLS_CA_FILE',
        'REPLICA_ID',
        'USAGE_ADMIN_KEYS',
      ])
      .filter((k) => env[k] !== undefined)
      .map((k) => [k, env[k]]),
  );
  const vars = plainToInstance(EnvVars, known, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid environment variables:\n${lines.join('\n')}`);
  }
  return vars;
}
