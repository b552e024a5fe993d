/** The shape an approval link's token has (32 random bytes, base64url); anything else is refused before a lookup. */
export const APPROVAL_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
