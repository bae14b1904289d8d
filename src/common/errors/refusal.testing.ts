import { OpenAIHttpException } from './openai-error';

/** For unit specs: the `param` and `code` of the OpenAI error `fn` throws, or null when it accepts. */
export function refusalOf(fn: () => unknown): { param: string | null; code: string | null } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof OpenAIHttpException) return { param: e.param, code: e.code };
    throw e;
  }
}
