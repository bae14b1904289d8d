import { itemId, responseIdOfItem } from './response-item-ids';

describe('response item ids', () => {
  const resp = `resp_${'ab'.repeat(24)}`;

  it('derives distinct input and output ids from the response id, and finds the response again', () => {
    const ids = [itemId('msg', resp, 'input', 0), itemId('msg', resp, 'output', 0), itemId('rs', resp, 'output', 1)];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(responseIdOfItem(id)).toBe(resp);
  });

  it('knows nothing of ids the gateway did not issue', () => {
    expect(responseIdOfItem('msg_123')).toBeNull();
    expect(responseIdOfItem(`msg_${'zz'.repeat(26)}`)).toBeNull();
    expect(responseIdOfItem(itemId('msg', 'resp_1', 'output', 0))).not.toBe('resp_1');
  });
});
