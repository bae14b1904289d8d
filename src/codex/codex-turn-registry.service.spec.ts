import { Observable, Subject } from 'rxjs';
import { CodexError, CodexErrorCode } from './codex.errors';
import { CodexEvent, emptyUsage } from './codex-event.types';
import { CodexTurnRegistry, TurnOutcome } from './codex-turn-registry.service';

function turn(): { source: Observable<CodexEvent>; events: Subject<CodexEvent>; torn: () => boolean } {
  const events = new Subject<CodexEvent>();
  let torn = false;
  const source = new Observable<CodexEvent>((sub) => {
    const s = events.subscribe(sub);
    return () => {
      torn = true;
      s.unsubscribe();
    };
  });
  return { source, events, torn: () => torn };
}

describe('CodexTurnRegistry', () => {
  it('tells listeners about each turn, its events and how it ended', () => {
    const registry = new CodexTurnRegistry();
    const seen: string[] = [];
    registry.addListener({
      turnStarted: (model) => {
        seen.push(`start ${model}`);
        return { event: (e) => seen.push(e.type), end: (o: TurnOutcome) => seen.push(`end ${o}`) };
      },
      queueWaited: (ms) => seen.push(`waited ${ms}`),
    });
    const t = turn();
    registry.track('m', t.source).subscribe();
    expect(registry.activeCount).toBe(1);
    t.events.next({ type: 'text_delta', itemId: 'i', delta: 'x' });
    t.events.next({ type: 'completed', usage: emptyUsage() });
    t.events.complete();
    registry.queueWaited(5);
    expect(seen).toEqual(['start m', 'text_delta', 'completed', 'end completed', 'waited 5']);
    expect(registry.activeCount).toBe(0);
  });

  it('counts a turn that the subscriber dropped as cancelled', () => {
    const registry = new CodexTurnRegistry();
    const ends: TurnOutcome[] = [];
    registry.addListener({ turnStarted: () => ({ end: (o) => ends.push(o) }), queueWaited: () => undefined });
    const t = turn();
    registry.track('m', t.source).subscribe().unsubscribe();
    expect(ends).toEqual(['cancelled']);
    expect(t.torn()).toBe(true);
  });

  it('whenIdle resolves true once the last turn ends, false after the wait', async () => {
    const registry = new CodexTurnRegistry();
    await expect(registry.whenIdle(10)).resolves.toBe(true);
    const t = turn();
    registry.track('m', t.source).subscribe({ error: () => undefined });
    await expect(registry.whenIdle(20)).resolves.toBe(false);
    const idle = registry.whenIdle(1_000);
    t.events.error(new CodexError(CodexErrorCode.TurnFailed, 'x'));
    await expect(idle).resolves.toBe(true);
  });

  it('abortAll interrupts each turn and hands its subscriber the error; refuseNew fails later turns', () => {
    const registry = new CodexTurnRegistry();
    const err = new CodexError(CodexErrorCode.ShuttingDown, 'bye');
    const t = turn();
    const errors: unknown[] = [];
    registry.track('m', t.source).subscribe({ error: (e: unknown) => errors.push(e) });
    registry.refuseNew(err);
    registry.abortAll(err);
    expect(t.torn()).toBe(true);
    expect(errors).toEqual([err]);
    expect(registry.activeCount).toBe(0);
    registry.track('m', turn().source).subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toEqual([err, err]);
  });
});
