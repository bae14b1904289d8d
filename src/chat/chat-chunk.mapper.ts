import type { CodexEvent, TurnUsage } from '../codex/codex-event.types';
import type { ChatUsage } from '../openai/openai.types';
import type { ChatCompletionChunk, ChatDelta, ChatMeta, FinishReason } from './chat.types';

export function toChatUsage(u: TurnUsage): ChatUsage {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningOutputTokens },
  };
}

export interface ChunkOptions {
  includeUsage: boolean;
  hideReasoning: boolean;
}

/**
 * Pure mapping of a turn's events to `chat.completion.chunk`s: the role first, then token
 * deltas, a final chunk with `finish_reason`, and the usage chunk when asked for. Separate agent
 * messages of one turn are joined by a blank line, as in the non-streaming answer.
 */
export class ChatChunkMapper {
  private roleSent = false;
  private lastMessageId: string | null = null;
  private readonly streamed = new Set<string>();

  constructor(
    private readonly meta: ChatMeta,
    private readonly options: ChunkOptions,
  ) {}

  map(event: CodexEvent): ChatCompletionChunk[] {
    switch (event.type) {
      case 'text_delta':
        return this.text(event.itemId, event.delta);
      case 'item_completed':
        // A provider may send a whole message without deltas; it still has to reach the client.
        if (event.item.type !== 'agentMessage' || this.streamed.has(event.item.id) || !event.item.text) return [];
        return this.text(event.item.id, event.item.text);
      case 'reasoning_delta':
        return this.options.hideReasoning ? [] : [...this.role(), this.chunk({ reasoning_content: event.delta })];
      case 'tool_calls': {
        // As OpenAI streams them: the call's identity first, then its arguments (here in one piece).
        const calls = event.calls.flatMap((c, index) => [
          this.chunk({
            tool_calls: [{ index, id: c.callId, type: 'function', function: { name: c.name, arguments: '' } }],
          }),
          this.chunk({ tool_calls: [{ index, function: { arguments: c.arguments } }] }),
        ]);
        return [...this.role(), ...calls, ...this.end('tool_calls', event.usage)];
      }
      case 'completed':
        return [...this.role(), ...this.end('stop', event.usage)];
      default:
        return [];
    }
  }

  private end(finish: FinishReason, usage: TurnUsage): ChatCompletionChunk[] {
    const out = [this.chunk({}, finish)];
    if (this.options.includeUsage) out.push({ ...this.base(), choices: [], usage: toChatUsage(usage) });
    return out;
  }

  private text(itemId: string, delta: string): ChatCompletionChunk[] {
    const sep = this.lastMessageId !== null && this.lastMessageId !== itemId ? '\n\n' : '';
    this.lastMessageId = itemId;
    this.streamed.add(itemId);
    return [...this.role(), this.chunk({ content: sep + delta })];
  }

  private role(): ChatCompletionChunk[] {
    if (this.roleSent) return [];
    this.roleSent = true;
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    const { id, created, model, fingerprint } = this.meta;
    return { id, object: 'chat.completion.chunk', created, model, system_fingerprint: fingerprint };
  }

  private chunk(delta: ChatDelta, finish: FinishReason | null = null): ChatCompletionChunk {
    const chunk: ChatCompletionChunk = {
      ...this.base(),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    if (this.options.includeUsage) chunk.usage = null;
    return chunk;
  }
}
