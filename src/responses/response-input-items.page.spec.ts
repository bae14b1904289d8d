import { refusalOf } from '../common/errors/refusal.testing';
import { inputItemsPage } from './response-input-items.page';

const items = ['a', 'b', 'c'].map((id) => ({ id, type: 'message' }));

describe('inputItemsPage', () => {
  it('pages newest first by default, oldest first with order=asc', () => {
    expect(inputItemsPage(items, {})).toEqual({
      object: 'list',
      data: [items[2], items[1], items[0]],
      first_id: 'c',
      last_id: 'a',
      has_more: false,
    });
    expect(inputItemsPage(items, { order: 'asc', limit: '1', after: 'a' })).toEqual({
      object: 'list',
      data: [items[1]],
      first_id: 'b',
      last_id: 'b',
      has_more: true,
    });
    expect(inputItemsPage([], {})).toEqual({
      object: 'list',
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'x' }, 'limit'],
    [{ order: 'up' }, 'order'],
    [{ after: 'zz' }, 'after'],
  ])('refuses %j', (query, param) => {
    expect(refusalOf(() => inputItemsPage(items, query))?.param).toBe(param);
  });
});
