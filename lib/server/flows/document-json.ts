import "server-only";
import type { TFlowDocument } from "@/lib/flows/document";
import type { Prisma } from "@/prisma/generated/client";

/** A parsed flow document holds only JSON values (zod checked); Prisma's JSON type cannot see that. */
export function documentJson(document: TFlowDocument): Prisma.InputJsonValue {
  return document as unknown as Prisma.InputJsonValue;
}
