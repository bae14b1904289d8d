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
});
