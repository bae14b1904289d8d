import { invalidRequest } from '../../common/errors/openai-error';
import { isRecord } from '../../util/is-record';
import { CHAT_ROLES } from './chat-message.dto';
import { contentProblem } from './is-message-content.validator';

const ROLES = new Set<string>(CHAT_ROLES);
const MAX_NAME = 256;

const refuse = (param: string, message: string) => invalidRequest(`Invalid value for '${param}': ${message}`, param);
/** class-validator's @IsOptional: both undefined and null count as absent. */
const given = (v: unknown): boolean => v !== undefined && v !== null;
/** `messages[3].content`; written only for a refusal (a string per message was most of this pass's garbage). */
const at = (i: number, field?: string): string => (field ? `messages[${i}].${field}` : `messages[${i}]`);
const shortString = (v: unknown): boolean => typeof v === 'string' && v.length <= MAX_NAME;

/**
 * The per-message rules of a chat request in one plain pass over `messages`, with the same
 * `param` as a nested DTO would name (`messages[3].content`). Whether `messages` is a non-empty
 * array is left to the DTO's own decorators.
 */
export function checkChatMessages(messages: unknown): void {
  if (!Array.isArray(messages)) return;
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isRecord(m)) throw refuse(at(i), 'each message must be an object');
    if (typeof m.role !== 'string' || !ROLES.has(m.role))
      throw refuse(at(i, 'role'), `role must be one of the following values: ${CHAT_ROLES.join(', ')}`);
    if (typeof m.content !== 'string' && given(m.content)) {
      const problem = contentProblem(m.content);
      if (problem !== null) throw refuse(at(i, 'content'), `content ${problem}`);
    }
    if (given(m.name) && !shortString(m.name))
      throw refuse(at(i, 'name'), `name must be a string of at most ${MAX_NAME} characters`);
    if (given(m.tool_calls) && !Array.isArray(m.tool_calls))
      throw refuse(at(i, 'tool_calls'), 'tool_calls must be an array');
    if (given(m.tool_call_id) && !shortString(m.tool_call_id))
      throw refuse(at(i, 'tool_call_id'), `tool_call_id must be a string of at most ${MAX_NAME} characters`);
  }
}
