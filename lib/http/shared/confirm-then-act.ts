import type { AppContext } from './context.js';
import type { AreaView } from './sign-in-routes.js';
import type { AppError } from '../../domain/errors.js';
import type { Translate } from '../../i18n/index.js';
import { formOf } from './form.js';

/** Where an action's outcome shows: an address, or one made of the action's result (as ActingOnce's `outcome`). */
export type Done<R> = string | ((result: R) => string);

/** The form's page and the refusals it shows beside the form; others get a page of their own. */
type BesideForm = {
  /** The area's rule: the refusals its form's page shows (others get a page of their own). */
  shownBesideForm: (err: unknown) => err is AppError;
  /** The page of the form, shown again with a refusal, in the page's language (`t`). */
  formPage: (ctx: AppContext, extra: { problem: string }, status: number) => Promise<void>;
  t: Translate;
};

/** One confirmed action: its confirmation page, where its outcome shows, the action, and the page its refusals show on. */
export type ConfirmedAction<R> = {
  /** The confirmation page's question; a function when asking needs a read (done only for that page). */
  question: string | (() => Promise<string>);
  /** The form's fields the confirmation page posts again. */
  fields?: [string, string][];
  /** Where the confirmation page's "back" goes. */
  back: string;
  /** Where the outcome shows: the 303 after the action, and where a second post of the form is sent. */
  done: Done<R>;
  act: (done: Done<R>) => Promise<R>;
} & (BesideForm | { [K in keyof BesideForm]?: never });

/**
 * An action form that works without JavaScript (docs/merchant-guide.md#back-office): without confirmed=1 the confirmation
 * page, with it the action (its one-time token spent with it), then 303 to where its outcome shows; a refusal shows on the
 * form's page (without one, every refusal gets a page of its own).
 */
export async function confirmThenAct<R>(ctx: AppContext, view: AreaView, action: ConfirmedAction<R>): Promise<void> {
  if (formOf(ctx).get('confirmed') !== '1') {
    const question = typeof action.question === 'string' ? action.question : await action.question();
    return view(ctx, './office-confirm', { question, action: ctx.path, fields: action.fields ?? [], back: action.back });
  }
  let result: R;
  try {
    result = await action.act(action.done);
  } catch (err) {
    if (!action.formPage || !action.shownBesideForm(err)) throw err;
    return action.formPage(ctx, { problem: action.t('office.error.invalid', { detail: err.message }) }, err.status);
  }
  ctx.status = 303;
  ctx.redirect(typeof action.done === 'string' ? action.done : action.done(result));
}
