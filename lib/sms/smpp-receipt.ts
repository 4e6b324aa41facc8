/** What a delivery receipt (deliver_sm with the SMSC-receipt esm_class) says about a message. */
export type SmppReceipt = { messageId: string; delivered: boolean; final: boolean; state: string };

const ESM_CLASS_RECEIPT = 0x04;
const FINAL_STATES: Record<string, boolean> = { DELIVRD: true, EXPIRED: false, DELETED: false, UNDELIV: false, REJECTD: false, UNKNOWN: false };
const MESSAGE_STATE: Record<number, string> = { 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 7: 'UNKNOWN', 8: 'REJECTD' };

/**
 * Reads the receipt from the TLVs (receipted_message_id, message_state) when the SMSC sends them,
 * else from the text format of SMPP 3.4 appendix B (`id:… stat:DELIVRD …`).
 */
export function parseReceipt(pdu: Record<string, unknown>): SmppReceipt | undefined {
  if (typeof pdu.esm_class !== 'number' || (pdu.esm_class & 0x3c) !== ESM_CLASS_RECEIPT) return undefined;
  const message = pdu.short_message as { message?: unknown } | undefined;
  const text = typeof message?.message === 'string' ? message.message : '';
  const id = typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : /\bid:(\S+)/i.exec(text)?.[1];
  const state = typeof pdu.message_state === 'number' && MESSAGE_STATE[pdu.message_state] ? MESSAGE_STATE[pdu.message_state]! : /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !state) return undefined;
  return { messageId: id, delivered: FINAL_STATES[state] === true, final: state in FINAL_STATES, state };
}
