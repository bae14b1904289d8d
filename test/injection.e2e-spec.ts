import { TEST_MODELS } from './support/codex-home';
import { bad, Case, chat, expectRefused, illFormed, LONE, user } from './support/bad-input';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { postJson } from './support/http';

/** Strings that broke the prototype's `-c key="value"` TOML building, plus shell metacharacters. */
const INJECTIONS = [
  'danger-full-access"#',
  'medium" \n sandbox_mode="danger-full-access',
  'read-only"\nsandbox_mode="danger-full-access"\n#',
  "high' ; touch pwned ; '",
  '$(touch pwned)',
  '`id`',
  'high\u0000danger-full-access',
  '{ network_access = true }',
];
const X_CODEX_STRING_FIELDS: [string, string | null][] = [
  ['sandbox', null],
  ['reasoning_effort', null],
];
const X_CODEX_BOOLEAN_FIELDS = ['network_access', 'hide_reasoning'];

const injections: Case[] = [
  ...INJECTIONS.map((s): Case => [
    `model ${JSON.stringify(s)}`,
    chat({ model: s }),
    { status: 404, type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  ]),
  ...INJECTIONS.map((s): Case => [
    `model alias ${JSON.stringify(`${TEST_MODELS.full} ${s}`)}`,
    chat({ model: `${TEST_MODELS.full} ${s}` }),
    { status: 404, type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  ]),
  ...X_CODEX_STRING_FIELDS.flatMap(([field, code]) =>
    INJECTIONS.map((s): Case => [
      `x_codex.${field} ${JSON.stringify(s)}`,
      chat({ x_codex: { [field]: s } }),
      bad(`x_codex.${field}`, code ?? undefined),
    ]),
  ),
  ...X_CODEX_BOOLEAN_FIELDS.flatMap((field) =>
    INJECTIONS.map((s): Case => [
      `x_codex.${field} ${JSON.stringify(s)}`,
      chat({ x_codex: { [field]: s } }),
      bad(`x_codex.${field}`),
    ]),
  ),
  ...INJECTIONS.map((s): Case => [
    `reasoning_effort ${JSON.stringify(s)}`,
    chat({ reasoning_effort: s }),
    bad('reasoning_effort'),
  ]),
];

// Each injection with a lone surrogate in it: refused as text before any other rule looks at it.
const illFormedInjections: Case[] = [
  ...INJECTIONS.map((s): Case => [`model ${JSON.stringify(s + LONE)}`, chat({ model: s + LONE }), illFormed('model')]),
  ...X_CODEX_STRING_FIELDS.flatMap(([field]) =>
    INJECTIONS.map((s): Case => [
      `x_codex.${field} ${JSON.stringify(LONE + s)}`,
      chat({ x_codex: { [field]: LONE + s } }),
      illFormed(`x_codex.${field}`),
    ]),
  ),
  ...INJECTIONS.map((s): Case => [
    `message text ${JSON.stringify(s + LONE)}`,
    chat({ messages: [user(s + LONE)] }),
    illFormed('messages[0].content'),
  ]),
];

const efforts: Case[] = [
  [
    'high on fake-mini',
    chat({ model: TEST_MODELS.mini, reasoning_effort: 'high' }),
    bad('reasoning_effort', 'unsupported_value'),
  ],
  [
    'xhigh on fake-mini via x_codex',
    chat({ model: TEST_MODELS.mini, x_codex: { reasoning_effort: 'xhigh' } }),
    bad('x_codex.reasoning_effort', 'unsupported_value'),
  ],
  ['minimal on fake-model', chat({ reasoning_effort: 'minimal' }), bad('reasoning_effort', 'unsupported_value')],
  [
    'none on fake-model',
    chat({ x_codex: { reasoning_effort: 'none' } }),
    bad('x_codex.reasoning_effort', 'unsupported_value'),
  ],
  ['max on fake-model', chat({ reasoning_effort: 'max' }), bad('reasoning_effort', 'unsupported_value')],
  ['HIGH in capitals', chat({ reasoning_effort: 'HIGH' }), bad('reasoning_effort', 'unsupported_value')],
  [
    'the alias "fake-mini high"',
    chat({ model: `${TEST_MODELS.mini} high` }),
    { status: 404, type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  ],
];

describe('TOML/shell injection and unsupported options never reach Codex', () => {
  const gw = suiteGateway();

  describe.each([
    ['TOML and shell injection', injections],
    ['injections with a lone surrogate', illFormedInjections],
    ['efforts the model does not support', efforts],
  ])('%s', (_group, cases) => {
    it.each(cases)('refuses %s', async (_name, body, expected) => {
      await expectRefused(gw, body, expected);
    });
  });

  it('treats injection strings inside message text as plain text: the turn runs read-only', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, chat({ messages: [user(INJECTIONS.join('\n'))] }));
    expect(r.status).toBe(200);
    const body = gw.provider.requests[before]!.body;
    expect(FakeProvider.texts(body, 'user').at(-1)).toBe(INJECTIONS.join('\n'));
    expect(FakeProvider.texts(body, 'developer').join('\n')).toContain('`sandbox_mode` is `read-only`');
  });
});
