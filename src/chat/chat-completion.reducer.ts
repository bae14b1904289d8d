import type { CodexEvent } from '../codex/codex-event.types';
import { toChatUsage } from './chat-chunk.mapper';
import type { ChatCompletion, ChatMeta } from './chat.types';

/** Accumulates a turn's events into the final non-streaming `chat.completion`. */
export class ChatCompletionReducer {
  private readonly texts = new Map<string, string>();
  private reasoning = '';
  result: ChatCompletion | null = null;

  constructor(
    private readonly meta: ChatMeta,
    private readonly hideReasoning: boolean,
  ) {}

  add(event: CodexEvent): void {
    switch (event.type) {
      case 'text_delta':
        this.texts.set(event.itemId, (this.texts.get(event.itemId) ?? '') + event.delta);
        return;
      case 'reasoning_delta':
        this.reasoning += event.delta;
        return;
      case 'item_completed':
        // The completed item is authoritative (a provider may send it without deltas).
        if (event.item.type === 'agentMessage') this.texts.set(event.item.id, event.item.text);
        return;
      case 'tool_calls':
      case 'completed': {
        const text = [...this.texts.values()].join('\n\n');
        const message: ChatCompletion['choices'][number]['message'] = {
          role: 'assistant',
          // OpenAI sends null content next to tool calls when the model said nothing.
          content: event.type === 'tool_calls' && text === '' ? null : text,
          refusal: null,
        };
        if (event.type === 'tool_calls') {
          message.tool_calls = event.calls.map((c) => ({
            id: c.callId,
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          }));
        }
        if (!this.hideReasoning && this.reasoning) message.reasoning_content = this.reasoning;
        this.result = {
          id: this.meta.id,
          object: 'chat.completion',
          created: this.meta.created,
          model: this.meta.model,
          system_fingerprint: this.meta.fingerprint,
          choices: [
            { index: 0, message, logprobs: null, finish_reason: event.type === 'tool_calls' ? 'tool_calls' : 'stop' },
          ],
          usage: toChatUsage(event.usage),
        };
        return;
      }
      default:
        return;
    }
  }
}
