import { declaredImageMime, sniffImageMime } from './image-mime';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffImageMime', () => {
  it.each([
    ['png', bytes([0x89], 'PNG\r\n\x1a\n', 'rest'), 'image/png'],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['gif87a', bytes('GIF87a...'), 'image/gif'],
    ['gif89a', bytes('GIF89a...'), 'image/gif'],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['a RIFF that is not webp (wav)', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), null],
    ['text claiming to be png', bytes('PNG but not really'), null],
    ['html', bytes('<html><script>alert(1)</script>'), null],
    ['svg', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['a zip', bytes('PK\x03\x04'), null],
    ['a truncated png signature', bytes([0x89], 'PNG'), null],
    ['nothing', bytes(''), null],
  ])('%s → %s', (_name, data, mime) => {
    expect(sniffImageMime(data)).toBe(mime);
  });
});

describe('declaredImageMime', () => {
  it.each([
    ['image/png', 'image/png'],
    ['IMAGE/JPEG', 'image/jpeg'],
    ['image/jpg', 'image/jpeg'],
    ['image/webp', 'image/webp'],
    ['image/svg+xml', null],
    ['text/html', null],
    ['application/octet-stream', null],
    ['', null],
    ['image/png"', null],
  ])('%s → %s', (declared, mime) => {
    expect(declaredImageMime(declared)).toBe(mime);
  });
});
