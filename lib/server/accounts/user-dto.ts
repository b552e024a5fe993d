import "server-only";

/** What the app shows of a user. Never the hash, the TOTP secret or the session version. */
export const USER_DTO_SELECT = {
  id: true,
  email: true,
  name: true,
  emailVerified: true,
  totpEnabledAt: true,
  createdAt: true,
} as const;

export type TUserDto = {
  id: string;
  email: string;
  name: string | null;
  emailVerified: Date | null;
  totpEnabledAt: Date | null;
  createdAt: Date;
};
