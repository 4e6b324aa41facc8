import { writeFileSync } from 'node:fs';
import { generateClientTypes } from './generate.js';

// Writes the TypeScript types of the merchant API (openapi-typescript) next to the client that uses them.
writeFileSync(new URL('./api.d.ts', import.meta.url), await generateClientTypes());
console.log('wrote clients/typescript/api.d.ts');
