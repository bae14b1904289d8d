import { randomBytes } from 'node:crypto';
import type { CreateResponseDto } from './dto/create-response.dto';
import type { ResponseObject } from './responses.types';

/** The `response` object as it starts, echoing the request's settings the way OpenAI does. */
export function responseBase(dto: CreateResponseDto, model: string, effort: string | null, store: boolean): ResponseObject {
  return {
    id: `resp_${randomBytes(24).toString('hex')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: dto.instructions ?? null,
    max_output_tokens: dto.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: dto.parallel_tool_calls ?? true,
    previous_response_id: dto.previous_response_id ?? null,
    reasoning: { effort, summary: dto.reasoning?.summary ?? null },
    store,
    temperature: dto.temperature ?? 1,
    text: { format: dto.text?.format ? { ...dto.text.format } : { type: 'text' } },
    tool_choice: dto.tool_choice ?? 'auto',
    tools: Array.isArray(dto.tools) ? structuredClone(dto.tools as unknown[]) : [],
    top_p: dto.top_p ?? 1,
    truncation: dto.truncation === 'auto' ? 'auto' : 'disabled',
    usage: null,
    user: dto.user ?? null,
    metadata: dto.metadata ?? {},
  };
}
