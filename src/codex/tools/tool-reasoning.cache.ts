import { Inject, Injectable } from '@nestjs/common';
import { codexConfig, CodexConfig } from '../../config/codex.config';
import { isRecord } from '../../util/is-record';
import type { JsonValue } from '../protocol/app-server.protocol';

interface Entry {
  items: JsonValue[];
  expires: number;
}

/**
 * The reasoning items the model produced before a batch of client tool calls, by call id
 * (client-tools.md §2.5). Chat clients never send reasoning back, so a rebuilt conversation would
 * lose it; this puts it back in front of the batch, as a parked turn would have kept it. Kept for
 * twice the parking TTL, and bounded in count; process-local, like parked turns.
 */
@Injectable()
export class ToolReasoningCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(@Inject(codexConfig.KEY) config: CodexConfig) {
    this.ttlMs = 2 * config.toolParkMs;
    this.max = Math.max(64, 4 * config.maxParkedTurns);
  }

  remember(callIds: readonly string[], reasoning: readonly JsonValue[]): void {
    if (reasoning.length === 0) return;
    // The gateway's raw item ids are the provider's; an injected item needs none.
    const items = reasoning.map((r) =>
      isRecord(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id')) : r,
    ) as JsonValue[];
    const expires = Date.now() + this.ttlMs;
    for (const id of callIds) {
      this.entries.delete(id);
      this.entries.set(id, { items, expires });
    }
    for (const [id] of this.entries) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(id);
    }
  }

  /** `history` with the remembered reasoning in front of each call batch that has none. */
  restore(history: readonly JsonValue[]): JsonValue[] {
    const now = Date.now();
    const out: JsonValue[] = [];
    history.forEach((item, i) => {
      const prev = history[i - 1];
      const startsBatch =
        isRecord(item) &&
        item.type === 'function_call' &&
        !(isRecord(prev) && (prev.type === 'function_call' || prev.type === 'reasoning'));
      const entry = startsBatch ? this.entries.get(String(item.call_id)) : undefined;
      if (entry && entry.expires > now) out.push(...entry.items);
      out.push(item);
    });
    return out;
  }
}
