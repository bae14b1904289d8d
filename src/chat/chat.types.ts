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
    message: { role: 'assistant'; content: string; refusal: null; reasoning_content?: string };
    logprobs: null;
    finish_reason: FinishReason;
  }[];
  usage: ChatUsage;
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
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
