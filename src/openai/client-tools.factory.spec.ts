import { refusalOf } from '../common/errors/refusal.testing';
import { parseChatTools, parseResponseTools } from './client-tool.parser';
import { parseToolChoice, toolTurn } from './client-tools.factory';
import { checkToolPairs } from './tool-history';

const fn = (name: string) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } });

describe('client tools', () => {
  it('reads Responses function and custom tools and leaves hosted tools out', () => {
    const { tools, ignored } = parseResponseTools([
      { type: 'function', name: 'f', description: 'd', parameters: { type: 'object' }, strict: true },
      {
        type: 'custom',
        name: 'apply_patch',
        description: 'Patch.',
        format: { type: 'grammar', syntax: 'lark', definition: 'start: x' },
      },
      { type: 'web_search' },
    ]);
    expect(tools.map((t) => [t.name, t.kind, t.strict])).toEqual([
      ['f', 'function', true],
      ['apply_patch', 'custom', false],
    ]);
    expect(tools[1]?.description).toContain('start: x');
    expect(ignored).toEqual(['tools[2]']);
  });

  it('offers nothing for tool_choice none, emulates what Codex cannot express, and keys the thread', () => {
    const tools = parseChatTools([fn('exec_command'), fn('g')]);
    const none = toolTurn({
      tools,
      choice: 'none',
      parallel: undefined,
      instructions: 'sys',
      model: 'm',
      hasToolHistory: false,
    });
    expect(none?.tools.dynamicTools).toEqual([]);
    const named = toolTurn({
      tools,
      choice: parseToolChoice({ type: 'function', function: { name: 'g' } }, tools),
      parallel: false,
      instructions: 'sys',
      model: 'm',
      hasToolHistory: false,
    });
    expect(named?.tools.dynamicTools.map((t) => t.name)).toEqual(['client_exec_command', 'g']);
    expect(named?.tools.clientNames).toEqual({ client_exec_command: 'exec_command' });
    expect(named?.instructions).toBe(
      'sys\n\nYou must call the function `g` in your next response.\n\nCall at most one function per response.',
    );
    expect(named?.codexName('exec_command')).toBe('client_exec_command');
    expect(named?.tools.key).not.toBe(none?.tools.key);
    expect(
      toolTurn({
        tools: [],
        choice: 'auto',
        parallel: undefined,
        instructions: null,
        model: 'm',
        hasToolHistory: false,
      }),
    ).toBeNull();
  });

  it.each([
    ['a forced call without tools', () => parseToolChoice('required', []), 'tool_choice'],
    [
      'a named tool that is absent',
      () => parseToolChoice({ type: 'function', name: 'x' }, parseChatTools([fn('f')])),
      'tool_choice',
    ],
    [
      'an output before its call',
      () => checkToolPairs([{ kind: 'output', callId: 'a', param: 'p0' }], 'messages'),
      'p0',
    ],
    [
      'a call left open',
      () => checkToolPairs([{ kind: 'call', callId: 'a', param: 'p0' }, { kind: 'message' }], 'messages'),
      'messages',
    ],
  ])('refuses %s', (_name, run, param) => {
    expect(refusalOf(run)?.param).toBe(param);
  });
});
