import { writeFileSync } from 'node:fs';
import { redocBundle, VENDORED } from './redoc-bundle.js';

// Copies Redoc's prebuilt bundle (the `redoc` devDependency) to lib/http/assets, with its licence notice: run after upgrading redoc.
const { body, license } = redocBundle();
writeFileSync(VENDORED, body);
writeFileSync(new URL(`${VENDORED.href}.LICENSE.txt`), license);
console.log('wrote lib/http/assets/redoc.standalone.js');
