// Prisma's schema engine in its Wasm build, driven through a driver adapter.
// The native schema-engine binary would have to be downloaded at install time; the
// Wasm build ships inside an npm package, so migrations work on air-gapped machines.
// Node 20 cannot import the package's `.wasm` entry, so the module is compiled here
// and wired to its JS glue by hand.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlQueryable } from "@prisma/driver-adapter-utils";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

let wasmReady: Promise<void> | undefined;

// The Wasm engine reports a Rust panic through this global before it throws; keeping
// the message lets the thrown error say what went wrong.
const panics = { last: "" };
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    panics.last = message;
  },
};

/** The engine's last panic message, if any (for error reports). */
export function lastEnginePanic(): string {
  return panics.last;
}

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
    const compiled = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(compiled, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHAR_MARK = "\u0000char";

/*
 * The schema engine introspects through the driver adapter, whose type mapping has no
 * entry for PostgreSQL's one-byte `"char"` type (pg_constraint.contype, pg_class.relkind)
 * and fails with "Column type 'char' could not be deserialized", while the engine reads
 * those columns as characters. So the pg client reports such a column as text with a
 * marked name, and the adapter wrapper below restores the Character column type.
 */
function markCharColumns(res: pg.QueryResult): pg.QueryResult {
  for (const field of res?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) {
      field.dataTypeID = PG_TEXT_OID;
      field.name += CHAR_MARK;
    }
  }
  return res;
}

class CatalogFriendlyClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, res: pg.QueryResult) => last(error, markCharColumns(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(markCharColumns) : result;
  }
}

type Queryable = Pick<SqlQueryable, "queryRaw">;

function restoreCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (name.endsWith(CHAR_MARK)) {
        result.columnNames[i] = name.slice(0, -CHAR_MARK.length);
        result.columnTypes[i] = ColumnTypeEnum.Character;
      }
    });
    return result;
  };
  return queryable;
}

function withCharColumns(factory: PrismaPg): PrismaPg {
  const wrapAdapter = async (adapterPromise: ReturnType<PrismaPg["connect"]>) => {
    const adapter = restoreCharColumns(await adapterPromise);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => restoreCharColumns(await startTransaction(...args));
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = () => wrapAdapter(connect());
  factory.connectToShadowDb = () => wrapAdapter(connectToShadowDb());
  return factory;
}

export type EngineLog = (message: string) => void;

/** Opens a schema engine bound to one database. Call `free()` and `close()` when done. */
export async function openSchemaEngine(
  connectionString: string,
  schemaText: string,
  onLog: EngineLog = () => {},
): Promise<{ engine: SchemaEngine; close: () => Promise<void> }> {
  await loadWasm();
  // One connection: the embedded database is a single PostgreSQL session (PGlite),
  // and migrations gain nothing from parallelism.
  const pool = new pg.Pool({ connectionString, max: 1, Client: CatalogFriendlyClient });
  const adapter = bindMigrationAwareSqlAdapterFactory(withCharColumns(new PrismaPg(pool)));
  const engine = await glue.SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, (message: string) => onLog(message), adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await pool.end();
    },
  };
}
