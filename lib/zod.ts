// The app's zod. Zod 4 compiles object parsers with `new Function` unless told not
// to: Vaultflow runs no generated code (and its CSP forbids eval in the browser), so
// every import of zod goes through here (an ESLint rule enforces it).
// eslint-disable-next-line no-restricted-imports
import { z } from "zod";

z.config({ jitless: true });

export { z };
