// A flow's webhook settings as its members see them (read by getWebhookSettings, shown by
// the webhook panel and the editor): types only, never the token or the signing secret.

export type TWebhookSettings = {
  hasAddress: boolean;
  /** The last 4 characters of the address's token: the address itself is never stored. */
  tokenHint: string | null;
  /** False for addresses made before the token was kept sealed: those must be regenerated to be seen. */
  canShowAddress: boolean;
  signing: { isEnabled: boolean; header: string; algorithm: string; timestampHeader: string | null; toleranceSeconds: number };
};
