import { randomBytes } from 'node:crypto';
import type { CreateResponseDto, TextFormatDto } from './dto/create-response.dto';
import type { ResponseObject } from './responses.types';
import { echoedToolChoice, echoedTools } from './response-tool-echo';

/** Summary modes the Responses resource can name; `none` asks for no summary, which the object says with null. */
const SUMMARIES = new Set(['auto', 'concise', 'detailed']);

function textFormat(format: TextFormatDto | undefined): ResponseObject['text']['format'] {
  if (!format) return { type: 'text' };
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    name: format.name ?? 'response',
    description: format.description ?? null,
    schema: format.schema ?? {},
    strict: format.strict ?? false,
  };
}

/**
 * The `response` object as it starts: every field of the Responses resource, echoing the request's
 * settings where it gave them and OpenAI's defaults otherwise (the gateway cannot apply sampling
 * settings to Codex; they are echoed and listed in X-Gateway-Ignored-Params).
 */
export function responseBase(
  dto: CreateResponseDto,
  model: string,
  effort: string | null,
  store: boolean,
): ResponseObject {
  const summary = dto.reasoning?.summary;
  return {
    id: `resp_${randomBytes(24).toString('hex')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    background: false,
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: dto.instructions ?? null,
    max_output_tokens: dto.max_output_tokens ?? null,
    max_tool_calls: dto.max_tool_calls ?? null,
    model,
    output: [],
    parallel_tool_calls: dto.parallel_tool_calls ?? true,
    previous_response_id: dto.previous_response_id ?? null,
    prompt_cache_key: dto.prompt_cache_key ?? null,
    reasoning: { effort, summary: summary && SUMMARIES.has(summary) ? summary : null },
    safety_identifier: dto.safety_identifier ?? null,
    service_tier: dto.service_tier ?? 'default',
    store,
    temperature: dto.temperature ?? 1,
    text: { format: textFormat(dto.text?.format), verbosity: dto.text?.verbosity ?? 'medium' },
    tool_choice: echoedToolChoice(dto.tool_choice),
    tools: echoedTools(dto.tools),
    top_logprobs: dto.top_logprobs ?? 0,
    top_p: dto.top_p ?? 1,
    presence_penalty: dto.presence_penalty ?? 0,
    frequency_penalty: dto.frequency_penalty ?? 0,
    truncation: dto.truncation === 'auto' ? 'auto' : 'disabled',
    usage: null,
    user: dto.user ?? null,
    metadata: dto.metadata ?? {},
  };
}
