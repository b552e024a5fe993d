"use server";

import { z } from "@/lib/zod";
import { ZChangePasswordInput } from "@/lib/auth/password-schemas";
import { ZDeleteAccountInput, ZUpdateNameInput } from "@/lib/auth/schemas";
import { defineAction } from "@/lib/server/action";
import { changePassword } from "@/lib/server/accounts/change-password";
import { deleteAccount } from "@/lib/server/accounts/delete-account";
import { endAllSessions } from "@/lib/server/accounts/end-all-sessions";
import { updateUserName } from "@/lib/server/accounts/update-user-name";

export const signOutEverywhereAction = defineAction({ input: z.strictObject({}), auth: "user" }, async (_input, { user, meta }) => {
  await endAllSessions(user.id, meta);
  return { signedOut: true };
});

export const changePasswordAction = defineAction({ input: ZChangePasswordInput, auth: "user" }, async (input, { user, meta }) => {
  await changePassword(user.id, input, meta);
  // Every session, this one included, has ended: the form sends the user to sign in again.
  return { signedOut: true };
});

export const updateNameAction = defineAction({ input: ZUpdateNameInput, auth: "user" }, async (input, { user }) => {
  await updateUserName(user.id, input.name);
  return { name: input.name };
});

export const deleteAccountAction = defineAction({ input: ZDeleteAccountInput, auth: "user" }, async (input, { user, meta }) => {
  await deleteAccount(user.id, input, meta);
  return { deleted: true };
});
