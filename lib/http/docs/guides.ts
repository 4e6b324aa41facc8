/** The guides of /docs, each made of `## ` sections of docs/merchant-guide.md (rendered by guide-pages.ts). */
export const GUIDES = [
  { slug: 'form', title: 'Take payments with the form', summary: 'A copy-paste HTML form, the Result notification and how to check LMI_HASH (PHP and Node).', sections: ['The form', 'The Result notification', 'Success and Fail'] },
  { slug: 'own-page', title: 'Pay on your own page', summary: 'The JSON API: create a payment with the phone, ask for the code, confirm it.', sections: ['The JSON API'] },
  { slug: 'webhooks', title: 'Webhooks and their signatures', summary: 'Events, Standard Webhooks signatures, retries and redelivery.', sections: ['Webhooks'] },
  { slug: 'test-mode', title: 'Test mode and test phones', summary: 'An end-to-end integration test with only a tp_test_ key.', sections: ['Test mode'] },
  { slug: 'refunds', title: 'Refunds, captures and voids', summary: 'Money back to a phone; authorize now, capture later.', sections: ['Refunds', 'Authorize now, capture later'] },
  { slug: 'payouts', title: 'Balance, payouts and statements', summary: 'Fees, when money becomes payable, payouts and their CSV statements.', sections: ['Fees', 'Balance, payouts and statements'] },
] as const;

export type Guide = (typeof GUIDES)[number];

/** How long a Result or webhook is retried, in the guides' words: the sum of NOTIFY_RETRY_SCHEDULE, so the text cannot drift from it. */
export function retryWindowText(schedule: readonly number[]): string {
  const hours = schedule.reduce((sum, s) => sum + s, 0) / 3600;
  if (hours < 48) return `about ${Math.max(1, Math.round(hours))} hours`;
  return `about ${(hours / 24).toFixed(1).replace(/\.0$/, '')} days`;
}
