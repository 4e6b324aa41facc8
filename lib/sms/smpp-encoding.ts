import smpp from 'smpp';

export const DATA_CODING_SMSC_DEFAULT = 0x00; // GSM 03.38, 7-bit (sent unpacked, one septet per octet)
export const DATA_CODING_UCS2 = 0x08;
export const ESM_CLASS_UDHI = 0x40;

const LIMITS = {
  [DATA_CODING_SMSC_DEFAULT]: { single: 160, part: 153 },
  [DATA_CODING_UCS2]: { single: 140, part: 134 }, // octets: 70 and 67 UTF-16 units
} as const;

export type EncodedSms = { dataCoding: number; parts: Buffer[] };

/**
 * Encodes a text for submit_sm: GSM 7-bit when every character has a GSM form, else UCS-2 (any
 * script, Cyrillic and Arabic included). A text longer than one SMS is cut into parts, each
 * with a concatenation header (UDH IEI 0x00, 8-bit reference), never inside a character or
 * a GSM escape sequence or a UTF-16 surrogate pair.
 */
export function encodeForSmpp(text: string, reference: number): EncodedSms {
  const gsm = smpp.encodings.ASCII.match(text);
  const dataCoding = gsm ? DATA_CODING_SMSC_DEFAULT : DATA_CODING_UCS2;
  const encode = (s: string) => (gsm ? smpp.encodings.ASCII.encode(s) : smpp.encodings.UCS2.encode(s));
  const limits = LIMITS[dataCoding];
  const whole = encode(text);
  if (whole.length <= limits.single) return { dataCoding, parts: [whole] };

  const chunks: Buffer[] = [];
  let current = '';
  for (const char of text) {
    if (encode(current + char).length > limits.part) {
      chunks.push(encode(current));
      current = '';
    }
    current += char;
  }
  if (current) chunks.push(encode(current));
  if (chunks.length > 255) throw new Error('the text is too long for one concatenated SMS');
  const ref = reference & 0xff;
  return {
    dataCoding,
    parts: chunks.map((chunk, i) => Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, i + 1]), chunk])),
  };
}

