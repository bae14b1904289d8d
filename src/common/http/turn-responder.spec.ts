import { lastValueFrom, of, Subject, throwError, toArray } from 'rxjs';
import { finalValue } from './turn-responder';

describe('finalValue (the JSON body of a turn)', () => {
  it('feeds every event to the reducer first, then emits what it holds once the events complete', async () => {
    const seen: number[] = [];
    const events = new Subject<number>();
    const out = lastValueFrom(finalValue(events, () => seen.length).pipe(toArray()));
    for (const n of [1, 2, 3]) {
      seen.push(n);
      events.next(n);
    }
    events.complete();
    // The result is read at completion, not at subscription: all three events are in it, once.
    expect(await out).toEqual([3]);
  });

  it('emits nothing when the reducer holds no result, and passes errors on untouched', async () => {
    expect(await lastValueFrom(finalValue(of('x'), () => null).pipe(toArray()))).toEqual([]);
    const err = new Error('engine died');
    await expect(
      lastValueFrom(
        finalValue(
          throwError(() => err),
          () => 'never',
        ),
      ),
    ).rejects.toBe(err);
  });

  it('emits at the event isLast recognises, before the events complete, and only once', async () => {
    const events = new Subject<string>();
    const got: string[] = [];
    let count = 0;
    const sub = finalValue(
      events,
      () => `result after ${count} events`,
      (e) => e === 'last',
    ).subscribe({ next: (v) => got.push(v), complete: () => got.push('(complete)') });
    for (const e of ['a', 'last']) {
      count++;
      events.next(e);
    }
    expect(got).toEqual(['result after 2 events']);
    events.next('straggler');
    events.complete();
    expect(got).toEqual(['result after 2 events', '(complete)']);
    sub.unsubscribe();
    // Without the last event the result still comes, at completion.
    expect(
      await lastValueFrom(
        finalValue(
          of('a', 'b'),
          () => 'end',
          (e) => e === 'last',
        ),
      ),
    ).toBe('end');
  });
});
