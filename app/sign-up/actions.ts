"use server";

import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { defineAction } from "@/lib/server/action";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";

export const signUpAction = defineAction({ input: ZSignUpInput, auth: "public" }, async (input, { meta }) => {
  const user = await createUserWithPassword(input, meta);
  return { email: user.email };
});
