import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id: string; email: string; name: string | null };
  }
  interface User {
    id: string;
    email: string;
    name: string | null;
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The user's session version when this token was issued. */
    sv?: number;
    /** Seconds since the epoch at sign-in: the absolute lifetime counts from here. */
    authTime?: number;
    email?: string | null;
    name?: string | null;
  }
}
