import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { hashPassword } from "@/lib/auth/password-hasher";
import { isServiceUserEmail, RESERVED_EMAIL_MESSAGE } from "@/lib/api-keys/service-user";
import type { TSignUpInput } from "@/lib/auth/password-schemas";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { USER_DTO_SELECT, type TUserDto } from "./user-dto";

/** Sign-up with email and password. The input was parsed with ZSignUpInput (policy included). */
export async function createUserWithPassword(input: TSignUpInput, meta: TRequestMeta): Promise<TUserDto> {
  await consumeRateLimits([["signUpIp", meta.ip]]);
  if (isServiceUserEmail(input.email)) throw new AppError("BAD_INPUT", RESERVED_EMAIL_MESSAGE, { email: [RESERVED_EMAIL_MESSAGE] });
  const passwordHash = await hashPassword(input.password, getAppSecrets().passwordPepper);
  const db = getDb();
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, passwordChangedAt: new Date() },
        select: USER_DTO_SELECT,
      });
      await recordAuditEvent({ action: "auth.sign_up", userId: user.id, meta }, tx);
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", {
        email: ["An account with this email already exists. Sign in instead."],
      });
    }
    throw error;
  }
}
