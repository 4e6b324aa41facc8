import { capturedLogLines } from '../helpers/log-capture.js';
after(() => { for (const l of capturedLogLines) if (l.includes('"level":50') || l.includes('error')) console.log(l.slice(0, 1500)); });
