import type { RequestSize } from '../common/limits/request-limits';
import type { UserInput } from '../codex/protocol/app-server.protocol';
import type { JsonValue } from '../codex/protocol/app-server.protocol';
import type { ImageScope } from './image-scope';

/** An image part not loaded yet: the URL as sent and where it sits in the request. */
export interface PendingImage {
  type: 'pending_image';
  url: string;
  param: string;
}

/** A content part as the feature mappers read it: text, or an image still to load. */
export type TurnPart = { type: 'text'; text: string } | PendingImage;

export type HistoryContent = { type: 'input_text' | 'output_text'; text: string } | PendingImage;

/** An earlier message as a raw Responses item, roles kept. */
export interface HistoryMessage {
  type: 'message';
  role: 'user' | 'assistant' | 'developer';
  content: HistoryContent[];
}

/** An earlier item that is not a message (a reasoning item, a tool call or its output): injected exactly as given, nothing to load. */
export interface RawHistoryItem {
  type: 'raw';
  item: JsonValue;
}

export type HistoryItem = HistoryMessage | RawHistoryItem;

/** A conversation mapped by a feature (chat or responses), images still to load. */
export interface TurnContent<H extends HistoryItem = HistoryMessage> {
  history: H[];
  /** The last user message, as Codex user input. */
  input: (UserInput | PendingImage)[];
  size: RequestSize;
}

/** Adds a message's parts to the request's size, the one measure every endpoint's limits use. */
export function tallyParts(size: { textChars: number; imageParams: string[] }, parts: readonly TurnPart[]): void {
  for (const p of parts) {
    if (p.type === 'text') size.textChars += p.text.length;
    else size.imageParams.push(p.param);
  }
}

export interface ResolvedTurn {
  history: JsonValue[];
  input: UserInput[];
}

type HistoryPart = Exclude<HistoryContent, PendingImage> | { type: 'input_image'; image_url: string };

const isPending = (part: { type: string }): part is PendingImage => part.type === 'pending_image';

/** A history message without images, as injected. */
type ResolvedMessage = {
  type: 'message';
  role: HistoryMessage['role'];
  content: Exclude<HistoryContent, PendingImage>[];
};

/** The turn as resolveTurnImages would give it when it has no image to load; null when it has one. */
function plainTurn(turn: TurnContent<HistoryItem>): ResolvedTurn | null {
  const input: UserInput[] = [];
  for (const p of turn.input) {
    if (isPending(p)) return null;
    input.push(p);
  }
  const history: JsonValue[] = [];
  for (const m of turn.history) {
    if (m.type === 'raw') {
      history.push(m.item);
      continue;
    }
    if (m.content.some(isPending)) return null;
    // Mappers build each message as exactly { type, role, content }: without images it is the item itself.
    history.push(m as ResolvedMessage);
  }
  return { history, input };
}

/**
 * Loads every image of the turn before it starts (downloads included), all in parallel. Images of
 * the last message become `localImage` inputs backed by the scope's temp files; images of earlier
 * messages stay in the history they belong to, as `input_image` items with a data URL rebuilt
 * from the checked bytes, so a client that resends a conversation with images keeps working.
 */
export async function resolveTurnImages(turn: TurnContent<HistoryItem>, scope: ImageScope): Promise<ResolvedTurn> {
  // Most turns have no image: one plain pass instead of two promises per history message.
  const withoutImages = plainTurn(turn);
  if (withoutImages) return withoutImages;
  const input = Promise.all(
    turn.input.map(async (p): Promise<UserInput> =>
      p.type === 'pending_image' ? { type: 'localImage', ...(await scope.materialize(p.url, p.param)) } : p,
    ),
  );
  const history = Promise.all(
    turn.history.map(async (m): Promise<JsonValue> => {
      if (m.type === 'raw') return m.item;
      const content = await Promise.all(
        m.content.map(async (c): Promise<HistoryPart> =>
          c.type === 'pending_image'
            ? { type: 'input_image', image_url: (await scope.inline(c.url, c.param)).dataUrl }
            : c,
        ),
      );
      return { type: m.type, role: m.role, content };
    }),
  );
  // Awaited together: a rejection of one must not go unhandled while the other is awaited.
  const [resolvedHistory, resolvedInput] = await Promise.all([history, input]);
  return { history: resolvedHistory, input: resolvedInput };
}
