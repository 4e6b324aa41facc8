import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';

/** Server-rendered pages: Eta templates in ./views, every `<%= %>` HTML-escaped. */
export function createViews(): Eta {
  return new Eta({
    views: fileURLToPath(new URL('../views/', import.meta.url)),
    autoEscape: true,
    cache: true,
  });
}
