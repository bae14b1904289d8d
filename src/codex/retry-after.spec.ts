import { retryAfterFromMessage } from './retry-after';

describe('retryAfterFromMessage', () => {
  it.each([
    ['Rate limit reached for gpt-5 in organization org-x on tokens per min. Please try again in 20s.', 20],
    ['Please try again in 1.5s', 2],
    ['Please try again in 6ms.', 1],
    ["You've hit your usage limit. Try again in 2 hours 5 minutes.", 7500],
    ['usage limit reached; try again in 3 days', 259_200],
    ['Retry after 7 seconds', 7],
    ['try again in 1m30s', 90],
  ])('%s → %d s', (message, seconds) => {
    expect(retryAfterFromMessage(message)).toBe(seconds);
  });

  it.each(['exceeded retry limit, last status: 429 Too Many Requests', 'try again later', ''])(
    'names no wait in %j',
    (message) => {
      expect(retryAfterFromMessage(message)).toBeNull();
    },
  );
});
