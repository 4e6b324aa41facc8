import type { Eta } from 'eta';
import { consoleCan, type ConsoleAction } from '../../domain/console.js';
import type { Clock } from '../../clock.js';
import { areaView, type AreaView } from '../shared/area-view.js';
import { CONSOLE_NAV } from './nav.js';
import type { ConsoleState } from './state.js';

/** What the shared layout and sign-in pages say and link to in the console. */
export const CONSOLE_AREA = { base: '/console', title: 'console.title', totpNeeded: 'console.totp.needed', totpRequired: 'console.totp.required', role: 'console.role.' };

export type ConsoleView = AreaView;

/**
 * Renders a console page in the office's layout (docs/operator-guide.md#operator-console), with the navigation the role may use,
 * `can(action)` for the forms a page shows (the role's alone), and each action form's one-time token (`once(path)`).
 */
export function consoleView(views: Eta, clock: Clock): ConsoleView {
  return areaView<ConsoleState, ConsoleAction>(views, clock, {
    area: CONSOLE_AREA,
    stateOf: (ctx) => ctx.state.console,
    nav: CONSOLE_NAV,
    roleCan: consoleCan,
    can: (state, action) => consoleCan(state.session.user.role, action),
  });
}
