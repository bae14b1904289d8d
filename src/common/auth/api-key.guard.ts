import { CanActivate, ExecutionContext, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appConfig, AppConfig } from '../../config/app.config';
import { OpenAIHttpException } from '../errors/openai-error';
import { KeyQuota, NO_QUOTA, parseKeyQuota } from './key-quota';
import { setApiKeyName } from './api-key.types';
import { Public } from './public.decorator';

interface KeyEntry {
  name: string;
  hash: Buffer;
  quota: KeyQuota;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Keys file format: one `<sha256 hex> <name> [daily_tokens=<n>] [monthly_tokens=<n>]` per line;
 * `#` starts a comment. Only hashes are stored, so the file can be read by operators without
 * exposing the keys.
 */
export function parseKeysFile(text: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [hex, name, ...fields] = line.split(/\s+/);
    if (!hex || !/^[0-9a-fA-F]{64}$/.test(hex))
      throw new Error(`PROXY_API_KEYS_FILE line ${i + 1}: expected a SHA-256 hex digest`);
    // `key-<n>` belongs to PROXY_API_KEY; an unnamed file entry is named by its line, apart from those.
    entries.push({
      name: name ?? `file-key-${i + 1}`,
      hash: Buffer.from(hex, 'hex'),
      quota: parseKeyQuota(fields, i + 1),
    });
  }
  return entries;
}

/**
 * A key's name owns its stored responses and its rate-limit budget, so two keys with one name
 * would share both: refuse to start instead.
 */
export function assertUniqueNames(keys: readonly KeyEntry[]): void {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const { name } of keys) (seen.has(name) ? dupes : seen).add(name);
  if (dupes.size === 0) return;
  throw new Error(
    `API key names must be unique across PROXY_API_KEY (named key-1, key-2, …) and PROXY_API_KEYS_FILE; duplicated: ${[...dupes].join(', ')}. Rename the keys-file entries.`,
  );
}

function unauthorized(message: string): OpenAIHttpException {
  return new OpenAIHttpException(401, message, 'invalid_request_error', null, 'invalid_api_key', {
    'WWW-Authenticate': 'Bearer',
  });
}

/** Bearer (or `x-api-key`) check against hashed keys, in constant time. With no keys the gateway is open. */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private keys: KeyEntry[] = [];

  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.keys = this.config.apiKeys.map((key, i) => ({ name: `key-${i + 1}`, hash: sha256(key), quota: NO_QUOTA }));
    if (this.config.apiKeysFile) {
      const fromFile = parseKeysFile(readFileSync(this.config.apiKeysFile, 'utf8'));
      // An empty file would silently open the API (and it listens on every interface by then).
      if (fromFile.length === 0) throw new Error(`PROXY_API_KEYS_FILE ${this.config.apiKeysFile} holds no keys.`);
      this.keys.push(...fromFile);
    }
    assertUniqueNames(this.keys);
    if (this.keys.length === 0) {
      this.logger.warn('No PROXY_API_KEY set: the API is open to anyone who can reach it.');
    }
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The token budgets of the key with this name (none for PROXY_API_KEY keys). */
  quotaOf(name: string): KeyQuota {
    return this.keys.find((k) => k.name === name)?.quota ?? NO_QUOTA;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride(Public, [context.getHandler(), context.getClass()])) return true;
    return this.authenticate(context.switchToHttp().getRequest<Request>());
  }

  /** Checks the request's key and records its name; also used by routes that are public only by configuration. */
  authenticate(req: Request): boolean {
    if (this.keys.length === 0) return true;
    const token = bearer(req);
    if (token === null) throw unauthorized('Missing API key: send it as "Authorization: Bearer <key>".');
    const hash = sha256(token);
    let match: KeyEntry | null = null;
    // Every key is compared, so the time taken says nothing about which one nearly matched.
    for (const key of this.keys) if (timingSafeEqual(hash, key.hash) && match === null) match = key;
    if (!match) throw unauthorized('Incorrect API key provided.');
    setApiKeyName(req, match.name);
    return true;
  }
}

function bearer(req: Request): string | null {
  const header = req.header('authorization');
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m?.[1]?.trim() || null;
  }
  const alt = req.header('x-api-key');
  return alt ? alt.trim() : null;
}
