import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { redisConfig, RedisConfig } from '../../config/redis.config';
import { REDIS_CLIENT } from '../../redis/redis-client.factory';
import { RedisHealth } from '../../redis/redis-health.service';
import type { ResponseStore, StoredResponse } from './response-store';
import { storeUnavailable } from '../../common/errors/store-unavailable';

/**
 * The response store shared by every replica: one JSON string per response (`<prefix>resp:<id>`),
 * expiring after RESPONSES_TTL_DAYS (a whole-key TTL). Any replica continues any response: where
 * its thread is not loaded, the conversation is rebuilt from these records.
 */
@Injectable()
export class RedisResponseStore implements ResponseStore {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(codexConfig.KEY) private readonly codex: CodexConfig,
    @Inject(redisConfig.KEY) config: RedisConfig,
    private readonly health: RedisHealth,
  ) {
    this.prefix = config.keyPrefix;
  }

  writable(): boolean {
    return this.health.available;
  }

  async get(id: string): Promise<StoredResponse | null> {
    const raw = await this.call(() => this.redis.get(this.recordKey(id)));
    return raw === null ? null : (JSON.parse(raw) as StoredResponse);
  }

  async put(record: StoredResponse, json = JSON.stringify(record)): Promise<void> {
    const ttl = this.ttlMs(record);
    const key = this.recordKey(record.id);
    await this.call(() => (ttl === null ? this.redis.set(key, json) : this.redis.set(key, json, 'PX', ttl)));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.call(() => this.redis.del(this.recordKey(id)))) > 0;
  }

  private recordKey(id: string): string {
    return `${this.prefix}resp:${id}`;
  }

  /** Milliseconds left of the record's life, at least 1; null when responses never expire. */
  private ttlMs(record: StoredResponse): number | null {
    if (this.codex.responsesTtlMs <= 0) return null;
    return Math.max(1, this.codex.responsesTtlMs - (Date.now() - record.createdAt * 1000));
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  private unavailable(err: unknown): Error {
    this.health.reportFailure(err);
    return storeUnavailable();
  }
}
