import type { PayDeps } from '../shared/deps.js';
import { redeliverNotification } from '../payments/list-notifications.js';
import { consoleNote, type ConsoleActor } from './actor.js';
import type { NotificationId } from '../../domain/ids.js';

/** The operator sends a notification of any merchant again (a dead one included), audited with the operator's name. */
export function consoleRedeliver(deps: PayDeps, actor: ConsoleActor, notificationId: NotificationId) {
  return redeliverNotification(deps, undefined, notificationId,
    consoleNote(deps, actor, 'notification.redeliver', { target: notificationId, merchantId: (n) => n.merchantId }, (n) => ({ payment: n.paymentId })));
}
