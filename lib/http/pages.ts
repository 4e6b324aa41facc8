import type { Eta } from 'eta';
import type { HtmlErrorRenderer } from './problem.js';

export function htmlErrorPage(views: Eta): HtmlErrorRenderer {
  return (_ctx, problem) => views.render('./error', { problem });
}
