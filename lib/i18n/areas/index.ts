// Each audience added after the hosted pages and the office keeps its texts in its own file here.
import { receipts } from './receipts.js';
import { consoleArea } from './console.js';
import { passkeys } from './passkeys.js';
import { messenger } from './messenger.js';
import { me } from './me.js';
import { officeAlone } from './office-alone.js';
import { vouchers } from './vouchers.js';
import { consoleMoney } from './console-money.js';
import { testMode } from './test-mode.js';
import { brand } from './brand.js';
import { personalData } from './personal-data.js';
import { moneyStatements } from './money-statements.js';
import { consoleOperators } from './console-operators.js';
export const AREAS = [
  officeAlone,
  receipts,
  consoleArea,
  passkeys,
  messenger,
  me,
  vouchers,
  consoleMoney,
  testMode,
  brand,
  personalData,
  moneyStatements,
  consoleOperators,
] as const;
