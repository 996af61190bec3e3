/** API member credentials for one ConnectWise tenant. */
export interface ConnectWiseCredentials {
  /** `api-na.myconnectwise.net`, a URL, or a configured origin's host:port (the simulator). */
  site: string;
  /** The login company id (case-sensitive). */
  companyId: string;
  publicKey: string;
  privateKey: string;
}

/** `Basic base64(companyId+publicKey:privateKey)` — API-NOTES §2. */
export function basicAuthorization(companyId: string, publicKey: string, privateKey: string): string {
  return `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`, 'utf8').toString('base64')}`;
}
