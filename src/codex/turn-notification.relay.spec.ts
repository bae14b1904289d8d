import { Subscriber } from 'rxjs';
import { CleanupStack } from '../util/cleanup-stack';
import type { CodexEvent } from './codex-event.types';
import type { Notification } from './protocol/app-server.protocol';
import { TurnRelay, type TurnRelayHost } from './turn-notification.relay';

const delta = (text: string): Notification => ({
  method: 'item/agentMessage/delta',
  params: { threadId: 't', turnId: 'turn-1', itemId: 'i', delta: text },
});
const completed = {
  method: 'turn/completed',
  params: { threadId: 't', turn: { id: 'turn-1', status: 'completed', error: null, items: [] } },
} as unknown as Notification;

function relayWith(out: Subscriber<CodexEvent>, cleanup: CleanupStack): TurnRelay {
  const host: TurnRelayHost = {
    phase: () => 'running',
    out: () => out,
    fail: (err) => out.error(err),
    settled: () => undefined,
    park: () => undefined,
  };
  const relay = new TurnRelay(host, null, cleanup);
  relay.begin('turn-1');
  return relay;
}

describe('TurnRelay', () => {
  it("hands on the turn's last event at once and completes its stream a moment later, after what that event set off", async () => {
    const seen: string[] = [];
    const out = new Subscriber<CodexEvent>({
      next: (e: CodexEvent) => seen.push(e.type),
      error: () => seen.push('(error)'),
      complete: () => seen.push('(complete)'),
    });
    const relay = relayWith(out, new CleanupStack(() => undefined));
    relay.onNotification(delta('Hi'));
    relay.onNotification(completed);
    expect(seen).toEqual(['text_delta', 'completed']);
    expect(relay.answered).toBe(true);
    // Nothing of the turn follows its end, even before the stream completes.
    relay.onNotification(delta('late'));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['text_delta', 'completed', '(complete)']);
  });

  it('never completes a stream whose run was disposed before that moment', async () => {
    const seen: string[] = [];
    const out = new Subscriber<CodexEvent>({
      next: () => undefined,
      error: () => seen.push('(error)'),
      complete: () => seen.push('(complete)'),
    });
    const cleanup = new CleanupStack(() => undefined);
    relayWith(out, cleanup).onNotification(completed);
    cleanup.run();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
  });
});
