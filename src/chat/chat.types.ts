import type { ChatUsage } from '../openai/openai.types';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: null;
      reasoning_content?: string;
      tool_calls?: ChatToolCall[];
    };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: ChatUsage;
}

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A streamed piece of a tool call: `id`, `type` and the name come with the first piece of each call only. */
export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: ChatToolCallDelta[];
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint: string;
  choices: { index: number; delta: ChatDelta; logprobs: null; finish_reason: FinishReason | null }[];
  usage?: ChatUsage | null;
}

/** What every chunk and completion of one request shares. */
export interface ChatMeta {
  id: string;
  created: number;
  model: string;
  fingerprint: string;
}
