import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { invalidRequest } from '../errors/openai-error';
import { bodyPipe } from './validation-pipe.testing';

/** Like a feature DTO: its items are checked by precheck() alone. */
class ItemsDto {
  @IsArray() @ArrayMinSize(1) items!: unknown[];
  @IsOptional() @IsInt() n?: number;
  static precheck(body: unknown): void {
    const items = (body as { items?: unknown }).items;
    if (Array.isArray(items) && items.some((i) => typeof i !== 'object'))
      throw invalidRequest("Invalid value for 'items': each item must be an object", 'items');
  }
  static readonly prechecked = ['items'];
}

const { asBody, refusal } = bodyPipe(ItemsDto);

describe('the validation pipe and a DTO whose long arrays are prechecked', () => {
  const items = () => [{ a: 1, extra: { b: [1] } }, { c: 'x' }];

  it('hands the parsed items over as they came, the rest of the body as the DTO instance', async () => {
    const body = { items: items(), unknown_field: 1, n: 2 };
    const sent = body.items;
    const dto = (await asBody(body)) as ItemsDto;
    expect(dto).toBeInstanceOf(ItemsDto);
    expect(dto.items).toBe(sent);
    expect(dto.items).toEqual(items());
    expect(dto).not.toHaveProperty('unknown_field');
    expect(dto.n).toBe(2);
    // The request's body keeps its own array (the stand-in never stays on it).
    expect(body.items).toBe(sent);
  });

  it('judges the array decorators on the real array, and the precheck first', async () => {
    expect(await refusal({ items: [] })).toEqual({
      param: 'items',
      message: "Invalid value for 'items': items must contain at least 1 elements",
    });
    expect(await refusal({ items: 'hi' })).toMatchObject({ param: 'items' });
    expect(await refusal({})).toMatchObject({ param: 'items' });
    expect(await refusal({ items: [{}, 3] })).toMatchObject({
      param: 'items',
      message: expect.stringContaining('object'),
    });
    expect(await refusal({ items: items(), n: 'x' })).toMatchObject({ param: 'n' });
  });

  it('lets Nest strip prototype keys inside the items when the body has any', async () => {
    const body = JSON.parse('{"items":[{"a":1,"constructor":1,"__proto__":{"x":1}}]}') as { items: object[] };
    const dto = (await asBody(body)) as ItemsDto;
    expect(Object.keys(dto.items[0] ?? {})).toEqual(['a']);
  });
});

class RuledArraysDto {
  @IsArray() @ArrayMaxSize(2) capped!: unknown[];
  @IsOptional() @IsString({ each: true }) names?: string[];
  @IsArray() @ArrayMinSize(2) pairs!: unknown[];
  static precheck(): void {}
  static readonly prechecked = ['capped', 'names', 'pairs'];
}

describe('the validation pipe and prechecked arrays with rules a stand-in cannot answer', () => {
  const transform = (value: unknown) => asBody(value, RuledArraysDto);

  it('judges them on the real array', async () => {
    await expect(transform({ capped: [1, 2, 3], pairs: [1, 2] })).rejects.toMatchObject({ param: 'capped' });
    await expect(transform({ capped: [], names: ['a', 1], pairs: [1, 2] })).rejects.toMatchObject({ param: 'names' });
    await expect(transform({ capped: [], pairs: [1] })).rejects.toMatchObject({ param: 'pairs' });
    await expect(transform({ capped: [1, 2], names: ['a'], pairs: [1, 2] })).resolves.toMatchObject({
      capped: [1, 2],
      names: ['a'],
      pairs: [1, 2],
    });
  });
});
