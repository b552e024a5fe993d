import "server-only";
// The Prisma client. Only lib/server/** may import it (an ESLint rule enforces this),
// so every query passes through a data function that applies authorization.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/prisma/generated/client";
import { getDatabaseTarget } from "@/lib/db/registry";

const KEY = Symbol.for("vaultflow.prisma");
type Holder = { [KEY]?: { client: PrismaClient; connectionString: string } };

export function getDb(): PrismaClient {
  const holder = globalThis as Holder;
  const target = getDatabaseTarget();
  if (holder[KEY]?.connectionString !== target.connectionString) {
    const adapter = new PrismaPg({
      connectionString: target.connectionString,
      max: target.poolMax,
      connectionTimeoutMillis: 5_000,
    });
    holder[KEY] = { client: new PrismaClient({ adapter }), connectionString: target.connectionString };
  }
  return holder[KEY]!.client;
}

/** Closes the pool (shutdown and tests). */
export async function disconnectDb(): Promise<void> {
  const holder = globalThis as Holder;
  const current = holder[KEY];
  holder[KEY] = undefined;
  await current?.client.$disconnect();
}
