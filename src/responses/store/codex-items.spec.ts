import type { JsonValue } from '../../codex/protocol/app-server.protocol';
import { conversationItems, storableCodexItem } from './codex-items';
import type { StoredResponse } from './response-store';

describe('storableCodexItem', () => {
  it("drops Codex's per-turn metadata and keeps everything the model sees, ids and encrypted content included", () => {
    const reasoning = {
      type: 'reasoning',
      id: 'rs_1',
      summary: [{ type: 'summary_text', text: 'hm' }],
      content: null,
      encrypted_content: 'enc',
      internal_chat_message_metadata_passthrough: { turn_id: 't1' },
    };
    expect(storableCodexItem(reasoning)).toEqual({
      type: 'reasoning',
      id: 'rs_1',
      summary: [{ type: 'summary_text', text: 'hm' }],
      content: null,
      encrypted_content: 'enc',
    });
  });

  it('replaces image data in messages and in tool outputs with a placeholder', () => {
    const image = { type: 'input_image' as const, image_url: 'data:image/png;base64,AAAA' };
    const text = { type: 'input_text' as const, text: 'look' };
    expect(storableCodexItem({ type: 'message', role: 'user', content: [text, image] })).toEqual({
      type: 'message',
      role: 'user',
      content: [text, { type: 'input_text', text: '[image]' }],
    });
    expect(storableCodexItem({ type: 'function_call_output', call_id: 'c', output: [image] })).toEqual({
      type: 'function_call_output',
      call_id: 'c',
      output: [{ type: 'input_text', text: '[image]' }],
    });
  });
});

describe('conversationItems', () => {
  const rec = (items: JsonValue[], codexItems?: JsonValue[]) => ({ items, codexItems }) as StoredResponse;

  it("takes each record's Codex items, and the text items of a record without them", () => {
    expect(conversationItems([rec(['old']), rec(['text'], ['exact']), rec(['text2'], ['exact2'])])).toEqual([
      'old',
      'exact',
      'exact2',
    ]);
  });
});
