// What starting authenticator-app setup hands its owner's browser (the account page):
// types only, shared by the data layer and the two-factor settings form.

export type TTotpEnrollment = {
  /** otpauth:// URI, what the QR code encodes. */
  uri: string;
  /** The Base32 secret, for typing into an app that cannot scan. */
  secret: string;
  /** The QR code as an SVG data: URL (the CSP allows img-src data:). */
  qrCodeDataUrl: string;
};
