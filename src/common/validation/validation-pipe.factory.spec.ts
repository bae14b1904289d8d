import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString } from 'class-validator';
import { CreateChatCompletionDto } from '../../chat/dto/create-chat-completion.dto';
import { OpenAIHttpException } from '../errors/openai-error';
import { createValidationPipe } from './validation-pipe.factory';

const pipe = createValidationPipe(100);
const asBody = (value: unknown) => pipe.transform(value, { type: 'body', metatype: CreateChatCompletionDto });

async function refusal(value: unknown): Promise<{ param: string | null; message: string } | null> {
  try {
    await asBody(value);
    return null;
  } catch (e) {
    if (e instanceof OpenAIHttpException) return { param: e.param, message: e.message };
    throw e;
  }
}

describe('the validation pipe and a DTO whose long arrays are prechecked', () => {
  const messages = () => [
    { role: 'user', content: 'hi', extra: 1 },
    { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
  ];

  it('hands the parsed messages over as they came, the rest of the body as the DTO instance', async () => {
    const body = { model: 'm', messages: messages(), unknown_field: 1, stream_options: { include_usage: true } };
    const sent = body.messages;
    const dto = (await asBody(body)) as CreateChatCompletionDto;
    expect(dto).toBeInstanceOf(CreateChatCompletionDto);
    expect(dto.messages).toBe(sent);
    expect(dto.messages).toEqual(messages());
    expect(dto).not.toHaveProperty('unknown_field');
    expect(dto.stream_options).toEqual({ include_usage: true });
    // The request's body keeps its own array (the stand-in never stays on it).
    expect(body.messages).toBe(sent);
  });

  it('judges the array decorators on the real array', async () => {
    expect(await refusal({ messages: [] })).toEqual({
      param: 'messages',
      message: "Invalid value for 'messages': messages must contain at least 1 elements",
    });
    expect(await refusal({ messages: 'hi' })).toMatchObject({ param: 'messages' });
    expect(await refusal({})).toMatchObject({ param: 'messages' });
  });

  it('still refuses a bad message with its param, and a bad field next to the messages', async () => {
    expect(await refusal({ messages: [{ role: 'user', content: 'hi' }, { role: 'robot' }] })).toMatchObject({
      param: 'messages[1].role',
    });
    expect(await refusal({ messages: messages(), n: 0 })).toMatchObject({ param: 'n' });
  });

  it('lets Nest strip prototype keys inside the messages when the body has any', async () => {
    const body = JSON.parse('{"messages":[{"role":"user","content":"hi","constructor":1,"__proto__":{"x":1}}]}') as {
      messages: object[];
    };
    const dto = (await asBody(body)) as CreateChatCompletionDto;
    expect(Object.keys(dto.messages[0] ?? {})).toEqual(['role', 'content']);
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
  const transform = (value: unknown) => pipe.transform(value, { type: 'body', metatype: RuledArraysDto });

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
