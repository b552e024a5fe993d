import "server-only";
import { randomUUID } from "node:crypto";
import { PRIMARY_SECRET_FIELD, secretHintOf, ZCreateConnectionInput, type TCreateConnectionInput } from "@/lib/connections/schemas";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { projectVisibleTo } from "./connection-access";
import { CONNECTION_DTO_SELECT, toConnectionDto, type TConnectionDto } from "./connection-dto";
import { nameTaken, parseConnectionSettings, parseNewSecret, parseUseCaseInput } from "./connection-input";
import { sealConnectionSecret } from "./connection-secret";

/**
 * Creates a connection (connections.write). The project is taken from the input this
 * once, and checked in the query; the secret is sealed to the new row's id, which is
 * therefore chosen here rather than by the database.
 */
export async function createConnection(userId: string, rawInput: TCreateConnectionInput, meta: TRequestMeta): Promise<TConnectionDto> {
  // Parsed again here, strictly: the data layer does not rely on its caller having done it.
  const input = parseUseCaseInput(ZCreateConnectionInput, rawInput);
  const db = getDb();
  const project = await db.project.findFirst({ where: { id: input.projectId, ...projectVisibleTo(userId, "connections.write") }, select: { id: true } });
  if (!project) throw projectNotFound();

  const settings = parseConnectionSettings(input.type, input.settings);
  const secret = parseNewSecret(input.type, input.secret);
  const id = randomUUID();
  const provider = input.type === "OAUTH2_CODE" ? (settings as { provider: string }).provider : null;
  try {
    return await db.$transaction(async (tx) => {
      // Checked again inside the transaction: a membership removed meanwhile creates nothing.
      const still = await tx.project.findFirst({ where: { id: project.id, ...projectVisibleTo(userId, "connections.write") }, select: { id: true } });
      if (!still) throw projectNotFound();
      const created = await tx.connection.create({
        data: {
          id,
          projectId: project.id,
          name: input.name,
          type: input.type,
          provider,
          settings: settings as Prisma.InputJsonValue,
          secretSealed: sealConnectionSecret(secret as never, project.id, id),
          secretHint: secretHintOf(secret[PRIMARY_SECRET_FIELD[input.type]] ?? ""),
          // An authorization-code connection is usable only after someone signs in at the provider.
          status: input.type === "OAUTH2_CODE" ? "PENDING" : "CONNECTED",
          createdById: userId,
        },
        select: CONNECTION_DTO_SELECT,
      });
      await recordAuditEvent(
        {
          action: "connection.created",
          userId,
          projectId: project.id,
          meta,
          details: { connectionId: id, name: created.name, type: created.type },
        },
        tx,
      );
      return toConnectionDto(created);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw nameTaken();
    throw error;
  }
}
