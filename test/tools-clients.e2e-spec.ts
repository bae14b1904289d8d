import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import { CodexEngineService } from '../src/codex/codex-engine.service';
import { TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { suiteGateway } from './support/gateway';
import { seenTail } from './support/tools';

/** The Vercel AI SDK runs its own agent loop: tools execute in the test process, results go back through the gateway. */
describe('an agent loop with the Vercel AI SDK', () => {
  const gw = suiteGateway();
  const weather = (ran: string[]) =>
    tool({
      description: 'Get the weather for a city.',
      inputSchema: jsonSchema<{ city: string }>({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      }),
      execute: async ({ city }) => {
        ran.push(city);
        return `sunny in ${city}`;
      },
    });
  const last = () => gw.provider.requests[gw.provider.requests.length - 1]!.body;

  it.each([
    ['chat', (p: ReturnType<typeof createOpenAI>) => p.chat(TEST_MODELS.full)],
    ['responses', (p: ReturnType<typeof createOpenAI>) => p.responses(TEST_MODELS.full)],
  ])('runs generateText with tools and stopWhen over %s', async (_api, pick) => {
    const openai = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused' });
    const ran: string[] = [];
    const parked = gw.app.get(CodexEngineService).toolPaths.parked;
    const result = await generateText({
      model: pick(openai),
      tools: { get_weather: weather(ran) },
      stopWhen: stepCountIs(4),
      prompt: 'SCENARIO=tools weather please get_weather ARGS={"city":"Lyon"}',
    });
    expect(ran).toEqual(['Lyon']);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    const callId = result.steps[0]?.toolCalls[0]?.toolCallId ?? '';
    expect(result.text).toBe(`RESULT get_weather#${callId}=sunny in Lyon`);
    expect(FakeProvider.toolNames(last())).toEqual(['get_weather']);
    // The SDK's second step continued the parked Codex turn.
    expect(gw.app.get(CodexEngineService).toolPaths.parked).toBe(parked + 1);
    expect(seenTail(last())).toEqual([`call:get_weather#${callId}`, `out:${callId}=sunny in Lyon`]);
  });
});
