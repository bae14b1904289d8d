/** Outbound shapes of the Responses API (the subset Codex can produce). */
export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface MessageItem {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: OutputText[];
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: { type: 'summary_text'; text: string }[];
  /** Only with `include: ["reasoning.encrypted_content"]`: what the provider sent Codex, for stateless continuity. */
  encrypted_content?: string;
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  /** The model's argument string, byte for byte. */
  arguments: string;
  status: 'in_progress' | 'completed';
}

/** A call of a custom (freeform) tool: its one string input, as the Codex CLI's apply_patch expects. */
export interface CustomToolCallItem {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  input: string;
  status: 'in_progress' | 'completed';
}

export type OutputItem = MessageItem | ReasoningItem | FunctionCallItem | CustomToolCallItem;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'failed' | 'incomplete';
  background: boolean;
  completed_at: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: OutputItem[];
  output_text?: string;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  prompt_cache_key: string | null;
  reasoning: { effort: string | null; summary: string | null };
  safety_identifier: string | null;
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: { type: 'text' | 'json_object' } | Record<string, unknown>; verbosity: string };
  tool_choice: unknown;
  tools: unknown[];
  top_logprobs: number;
  top_p: number;
  presence_penalty: number;
  frequency_penalty: number;
  truncation: 'disabled' | 'auto';
  usage: ResponseUsage | null;
  user: string | null;
  metadata: Record<string, string>;
}

/** One streamed event: `type` doubles as the SSE `event:` name. */
export interface ResponseStreamEvent {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}
