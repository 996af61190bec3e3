/** Who is calling: the panel on behalf of one partner, or an operator who may act on any partner. */
export type Principal =
  | { kind: 'partner'; subject: string; partnerId: string; partnerName?: string }
  | { kind: 'operator'; subject: string };

export function canAccessPartner(principal: Principal, partnerId: string): boolean {
  return principal.kind === 'operator' || principal.partnerId === partnerId;
}
