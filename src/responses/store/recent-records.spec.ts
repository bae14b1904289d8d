import { RecentRecords } from './recent-records';
import type { StoredResponse } from './response-store';

const rec = (id: string): StoredResponse => ({ id }) as StoredResponse;

describe('RecentRecords', () => {
  it('keeps at most its count and its bytes, letting go of the least recently used first', () => {
    const recent = new RecentRecords(3, 100);
    for (const id of ['a', 'b', 'c']) recent.add(rec(id), 10);
    expect(recent.get('a')?.id).toBe('a'); // a is now the newest
    recent.add(rec('d'), 10);
    expect(recent.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((id) => recent.get(id)?.id)).toEqual(['a', 'c', 'd']);
    recent.add(rec('e'), 85); // 10 + 10 + 85 > 100: the two least recent go
    expect(recent.size).toBe(2);
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('c')).toBeUndefined();
    expect(recent.get('d')?.id).toBe('d');
  });

  it('never keeps a record larger than its whole budget, and forgets deleted ones', () => {
    const recent = new RecentRecords(10, 100);
    recent.add(rec('big'), 101);
    expect(recent.get('big')).toBeUndefined();
    recent.add(rec('x'), 50);
    recent.delete('x');
    expect(recent.get('x')).toBeUndefined();
    recent.add(rec('y'), 100); // the deleted one's bytes were given back
    expect(recent.get('y')?.id).toBe('y');
  });
});
