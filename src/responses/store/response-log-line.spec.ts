import type { ResponseObject } from '../responses.types';
import { indexFields, putLineText } from './response-log-line';
import type { StoredResponse } from './response-store';

const record: StoredResponse = {
  id: 'resp_"quoted"',
  threadId: 'thr_1',
  turnId: 'turn_1',
  createdAt: 1_764_000_000,
  owner: null,
  previousResponseId: null,
  threadInstructions: null,
  items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a "b" ,"record":{' }] }],
  response: { id: 'resp_"quoted"' } as ResponseObject,
};

describe('putLineText', () => {
  it('is the JSON of the put line, with the record JSON the caller made or its own', () => {
    const expected = JSON.stringify({ op: 'put', id: record.id, createdAt: record.createdAt, record });
    expect(putLineText(record)).toBe(expected);
    expect(putLineText(record, JSON.stringify(record))).toBe(expected);
  });

  it('is indexed from its header alone', () => {
    expect(indexFields(Buffer.from(putLineText(record)))).toEqual({
      op: 'put-fields',
      id: record.id,
      createdAt: record.createdAt,
    });
  });
});
