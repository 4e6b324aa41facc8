import { pino, type Logger, type DestinationStream } from 'pino';
import { maskPhone } from './domain/phone.js';

export type { Logger };

const MASKED_KEYS = ['phone', 'to', 'msisdn', 'destination_addr'];
const SECRET_KEYS = [
  'code', 'text', 'short_message', 'message_payload', 'password', 'token', 'secret',
  'api_key', 'apiKey', 'secret_key', 'secretKey', 'webhook_secret', 'webhookSecret',
  'authorization', 'cookie', 'LMI_HASH', 'LMI_HASH2', 'codeSecret', 'codeSecretPrevious', 'codeSecretNext', 'dataKey', 'dataKeyPrevious', 'dataKeyNext', 'adminToken',
  // docs/operator-guide.md#whatsapp-channel: the Cloud API secrets, and a template's button (the token of a link)
  'whatsappToken', 'whatsappAppSecret', 'whatsappVerifyToken', 'template', 'button',
  // docs/operator-guide.md#vouchers-and-cash-in: the /me redeem form's field holds a voucher code
  'voucher',
];

// Wildcards reach one and two levels deep: pino's redact matches fixed paths, never "anywhere".
function paths(keys: string[]): string[] {
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
}

/**
 * Phones are masked and secrets removed by key name at every level a log call can reach, so a
 * careless `log.info({ body })` cannot leak them; messages themselves never interpolate them.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      // ISO 8601 times: readable in a log line, and sortable (issue #20)
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [...paths(MASKED_KEYS), ...paths(SECRET_KEYS), 'req.headers.authorization', 'req.headers.cookie'],
        censor: (value: unknown, path: string[]) =>
          MASKED_KEYS.includes(path.at(-1)!) && typeof value === 'string' ? maskPhone(value) : '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
