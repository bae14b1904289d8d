import { toLine } from './app-server.rpc';

describe('toLine', () => {
  it('writes a message as one JSON line', () => {
    expect(toLine({ id: 1, method: 'turn/start', params: { text: 'héllo 😀' } })).toBe(
      '{"id":1,"method":"turn/start","params":{"text":"héllo 😀"}}\n',
    );
  });

  it('replaces lone surrogates in values and keys, so Codex never gets an escape it rejects', () => {
    const line = toLine({ params: { text: 'a\ud800b', ['k\udc00']: ['\udbff'] } });
    expect(line).toBe('{"params":{"text":"a\ufffdb","k\ufffd":["\ufffd"]}}\n');
    expect(line).not.toMatch(/\\ud[89a-f]/);
  });

  it('leaves text that only looks like an escape (a literal backslash) as it is', () => {
    const message = { params: { text: 'C:\\ud800 and 😀' } };
    expect(toLine(message)).toBe(`${JSON.stringify(message)}\n`);
  });
});
