/**
 * The slice of the app-server protocol the gateway uses, typed by the files that the pinned
 * binary generated (`npm run codex:types`). Only this map needs editing to call a new method.
 */
import type { ClientRequest } from './generated/ClientRequest';
import type { ConfigReadResponse } from './generated/v2/ConfigReadResponse';
import type { GetAccountResponse } from './generated/v2/GetAccountResponse';
import type { InitializeResponse } from './generated/InitializeResponse';
import type { ServerNotification } from './generated/ServerNotification';
import type { ModelListResponse } from './generated/v2/ModelListResponse';
import type { ThreadInjectItemsResponse } from './generated/v2/ThreadInjectItemsResponse';
import type { ThreadLoadedListResponse } from './generated/v2/ThreadLoadedListResponse';
import type { ThreadStartResponse } from './generated/v2/ThreadStartResponse';
import type { ThreadUnsubscribeResponse } from './generated/v2/ThreadUnsubscribeResponse';
import type { TurnInterruptResponse } from './generated/v2/TurnInterruptResponse';
import type { TurnStartResponse } from './generated/v2/TurnStartResponse';

export interface ResultByMethod {
  initialize: InitializeResponse;
  'model/list': ModelListResponse;
  'config/read': ConfigReadResponse;
  'thread/start': ThreadStartResponse;
  'thread/inject_items': ThreadInjectItemsResponse;
  'thread/unsubscribe': ThreadUnsubscribeResponse;
  'turn/start': TurnStartResponse;
  'turn/interrupt': TurnInterruptResponse;
  'account/read': GetAccountResponse;
  /** In-memory only: the watchdog's liveness probe. */
  'thread/loaded/list': ThreadLoadedListResponse;
}

export type Method = keyof ResultByMethod;
export type ParamsOf<M extends Method> = Extract<ClientRequest, { method: M }>['params'];
export type Notification = ServerNotification;
export type NotificationOf<M extends Notification['method']> = Extract<Notification, { method: M }>['params'];

export type { ThreadItem } from './generated/v2/ThreadItem';
export type { ResponseItem } from './generated/ResponseItem';
export type { TurnError } from './generated/v2/TurnError';
export type { TokenUsageBreakdown } from './generated/v2/TokenUsageBreakdown';
export type { UserInput } from './generated/v2/UserInput';
export type { SandboxPolicy } from './generated/v2/SandboxPolicy';
export type { Model } from './generated/v2/Model';
export type { Turn } from './generated/v2/Turn';
export type { JsonValue } from './generated/serde_json/JsonValue';
export type { DynamicToolSpec } from './generated/v2/DynamicToolSpec';
export type { DynamicToolCallResponse } from './generated/v2/DynamicToolCallResponse';
export type { DynamicToolCallOutputContentItem } from './generated/v2/DynamicToolCallOutputContentItem';
