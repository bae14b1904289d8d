import { OpenAIHttpException } from '../errors/openai-error';
import { createValidationPipe } from './validation-pipe.factory';

/** The global pipe as a request body meets it, for DTO specs: what it hands on, or the 400 it answers. */
export function bodyPipe(metatype: new () => unknown, maxItems = 100) {
  const pipe = createValidationPipe(maxItems);
  const asBody = (value: unknown, type: new () => unknown = metatype) =>
    pipe.transform(value, { type: 'body', metatype: type });
  const refusal = async (value: unknown): Promise<{ param: string | null; message: string } | null> => {
    try {
      await asBody(value);
      return null;
    } catch (e) {
      if (e instanceof OpenAIHttpException) return { param: e.param, message: e.message };
      throw e;
    }
  };
  return { asBody, refusal };
}
