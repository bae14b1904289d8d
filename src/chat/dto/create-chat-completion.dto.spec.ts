import { bodyPipe } from '../../common/validation/validation-pipe.testing';
import { CreateChatCompletionDto } from './create-chat-completion.dto';

const { asBody, refusal } = bodyPipe(CreateChatCompletionDto);

describe('CreateChatCompletionDto through the validation pipe', () => {
  const messages = () => [
    { role: 'user', content: 'hi', extra: 1 },
    { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
  ];

  it('gets the parsed messages, without class-transformer copying them', async () => {
    const body = { model: 'm', messages: messages(), stream_options: { include_usage: true } };
    const dto = (await asBody(body)) as CreateChatCompletionDto;
    expect(dto).toBeInstanceOf(CreateChatCompletionDto);
    expect(dto.messages).toBe(body.messages);
    expect(dto.stream_options).toEqual({ include_usage: true });
  });

  it('refuses an empty or missing messages array and a bad message with their params', async () => {
    expect(await refusal({ messages: [] })).toEqual({
      param: 'messages',
      message: "Invalid value for 'messages': messages must contain at least 1 elements",
    });
    expect(await refusal({ model: 'm' })).toMatchObject({ param: 'messages' });
    expect(await refusal({ messages: [{ role: 'user', content: 'hi' }, { role: 'robot' }] })).toMatchObject({
      param: 'messages[1].role',
    });
    expect(await refusal({ messages: messages(), n: 0 })).toMatchObject({ param: 'n' });
  });
});
