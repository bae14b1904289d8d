import { decodedSize, parseDataUrl } from './data-url';

describe('parseDataUrl', () => {
  it('splits a base64 data URL into its declared type and payload', () => {
    expect(parseDataUrl('data:image/png;base64,aGVsbG8=')).toEqual({ mime: 'image/png', base64: 'aGVsbG8=' });
    expect(parseDataUrl('DATA:image/png;charset=x;BASE64,aGk=')).toEqual({ mime: 'image/png', base64: 'aGk=' });
  });

  it.each([
    ['not base64', 'data:image/png,%89PNG'],
    ['no comma', 'data:image/png;base64'],
    ['another scheme', 'http://x/data:image/png;base64,aGk='],
    ['characters outside base64', 'data:image/png;base64,aGk=<script>'],
    ['bad length', 'data:image/png;base64,aGk'],
    ['url-safe alphabet', 'data:image/png;base64,a-_='],
    ['padding in the middle', 'data:image/png;base64,aG==aGk='],
  ])('refuses %s', (_name, url) => {
    expect(parseDataUrl(url)).toBeNull();
  });
});

describe('decodedSize', () => {
  it.each(['', 'a', 'ab', 'abc', 'abcd', 'x'.repeat(1000)])('matches Buffer for %j', (text) => {
    const b64 = Buffer.from(text).toString('base64');
    expect(decodedSize(b64)).toBe(Buffer.from(b64, 'base64').length);
  });
});
