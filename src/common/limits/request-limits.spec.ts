import { checkRequestLimits } from './request-limits';
import { refusalOf } from '../errors/refusal.testing';

const limits = { maxInputChars: 10, maxImages: 2 };
const size = (textChars: number, images: number) => ({
  textChars,
  textParam: 'messages',
  imageParams: Array.from({ length: images }, (_, i) => `img${i}`),
});

const refusal = (s: ReturnType<typeof size>, l = limits) => refusalOf(() => checkRequestLimits(s, l));

describe('checkRequestLimits', () => {
  it('accepts a request at the limits', () => {
    expect(refusal(size(10, 2))).toBeNull();
  });

  it('refuses too much text', () => {
    expect(refusal(size(11, 0))).toEqual({ param: 'messages', code: 'input_too_long' });
  });

  it('names the first image over the limit', () => {
    expect(refusal(size(1, 4))).toEqual({ param: 'img2', code: 'too_many_images' });
    expect(refusal(size(1, 1), { maxInputChars: 10, maxImages: 0 })).toEqual({
      param: 'img0',
      code: 'too_many_images',
    });
  });
});
