import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from './redis-client.factory';

const PING_MS = 2000;

/**
 * Whether Redis answers, kept from the client's events and a periodic PING so that readiness
 * (synchronous by design) and the request path read a flag instead of waiting on a socket.
 * Also owns the client's end: it is closed last, after the drain has stored what it must.
 */
@Injectable()
export class RedisHealth implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private timer: NodeJS.Timeout | null = null;
  /** null until the first answer or failure, so the first failure is logged too. */
  private up: boolean | null = null;
  /** Rate-limit checks let through because Redis did not answer. */
  failOpen = 0;
  /** Usage records that could not be written. */
  usageLost = 0;

  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis | null) {}

  get configured(): boolean {
    return this.client !== null;
  }

  /** True when Redis is configured and answering. */
  get available(): boolean {
    return this.client !== null && this.up === true;
  }

  onModuleInit(): void {
    const client = this.client;
    if (!client) return;
    client.on('ready', () => this.mark(true, 'connected'));
    client.on('close', () => this.mark(false, 'connection closed'));
    client.on('error', (err: Error) => this.mark(false, err.message));
    this.timer = setInterval(() => {
      client.ping().then(
        () => this.mark(true, 'answering again'),
        (err: unknown) => this.mark(false, err instanceof Error ? err.message : String(err)),
      );
    }, PING_MS);
    this.timer.unref();
  }

  /** A caller saw Redis fail; readiness reflects it at once rather than at the next PING. */
  reportFailure(err: unknown): void {
    this.mark(false, err instanceof Error ? err.message : String(err));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.client) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }

  /** Logs each change once, not every failed reconnect. */
  private mark(up: boolean, why: string): void {
    if (up === this.up) return;
    this.up = up;
    if (up) this.logger.log(`Redis ${why}`);
    else
      this.logger.error(
        `Redis unavailable: ${why}; rate limits fail open, stored responses answer 503 until it is back`,
      );
  }
}
