import { TurnNotificationMapper } from './codex-notification.mapper';
import type { Notification } from './protocol/app-server.protocol';
import { UNREAD_NOTIFICATIONS } from './unread-notifications';

describe('UNREAD_NOTIFICATIONS (opted out of at initialize)', () => {
  it('holds nothing a turn is mapped from', () => {
    const mapper = new TurnNotificationMapper('turn-1');
    for (const method of UNREAD_NOTIFICATIONS) {
      const n = {
        method,
        params: { threadId: 't', turnId: 'turn-1', itemId: 'i', delta: 'x' },
      } as unknown as Notification;
      expect({ method, events: mapper.map(n) }).toEqual({ method, events: [] });
    }
  });

  it('keeps what the engine waits for: the turn, its items, its usage, raw events and thread/closed', () => {
    const read = [
      'turn/completed',
      'item/started',
      'item/completed',
      'item/agentMessage/delta',
      'item/reasoning/summaryTextDelta',
      'thread/tokenUsage/updated',
      'rawResponse/completed',
      'rawResponseItem/completed',
      'thread/closed',
    ];
    for (const method of read) expect(UNREAD_NOTIFICATIONS).not.toContain(method);
  });
});
