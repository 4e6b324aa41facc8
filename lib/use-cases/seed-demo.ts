import type { Deps } from './deps.js';
export async function seedDemo(_deps: Deps): Promise<void> {}
