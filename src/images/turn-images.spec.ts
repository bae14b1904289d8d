import type { ImageScope } from './image-scope';
import { resolveTurnImages, type HistoryItem, type TurnContent } from './turn-images';

const size = { textChars: 0, imageParams: [], textParam: 'messages' };
const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });

function fakeScope(): ImageScope & { loaded: string[] } {
  const loaded: string[] = [];
  return {
    loaded,
    materialize: (url: string, param: string) => {
      loaded.push(`file ${url} ${param}`);
      return Promise.resolve({ path: `/tmp/${url}` });
    },
    inline: (url: string, param: string) => {
      loaded.push(`inline ${url} ${param}`);
      return Promise.resolve({ dataUrl: `data:${url}` });
    },
  } as unknown as ImageScope & { loaded: string[] };
}

describe('resolveTurnImages', () => {
  const raw = { type: 'raw' as const, item: { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' } };

  it('gives a turn without images as it is, items in order, loading nothing', async () => {
    const scope = fakeScope();
    const turn: TurnContent<HistoryItem> = {
      history: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] }, raw],
      input: [text('now')],
      size,
    };
    await expect(resolveTurnImages(turn, scope)).resolves.toEqual({
      history: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] }, raw.item],
      input: [text('now')],
    });
    expect(scope.loaded).toEqual([]);
  });

  it('inlines history images and writes input images to files, everything else kept in place', async () => {
    const scope = fakeScope();
    const turn: TurnContent<HistoryItem> = {
      history: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'see' },
            { type: 'pending_image', url: 'a', param: 'messages[0].content[1].image_url' },
          ],
        },
        raw,
      ],
      input: [text('and'), { type: 'pending_image', url: 'b', param: 'messages[2].content[1].image_url' }],
      size,
    };
    const resolved = await resolveTurnImages(turn, scope);
    expect(resolved.history).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'see' },
          { type: 'input_image', image_url: 'data:a' },
        ],
      },
      raw.item,
    ]);
    expect(resolved.input).toEqual([text('and'), { type: 'localImage', path: '/tmp/b' }]);
    expect(scope.loaded.sort()).toEqual([
      'file b messages[2].content[1].image_url',
      'inline a messages[0].content[1].image_url',
    ]);
  });
});
