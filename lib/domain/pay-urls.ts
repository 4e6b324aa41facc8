/** The hosted page of a payment (the router serves /pay/:id). */
export function payUrl(publicUrl: string, paymentId: string): string {
  return `${publicUrl.replace(/\/$/, '')}/pay/${paymentId}`;
}

/** The short link of a pay link SMS (the router serves /l/:token). */
export function payLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/l/${token}`;
}
