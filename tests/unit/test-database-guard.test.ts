import { describe, expect, it } from "vitest";
import { assertLocalDatabaseUrl } from "../support/test-database";

describe("the test database guard", () => {
  it.each([
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgres://postgres@localhost/test",
    "postgresql://postgres@[::1]:5432/test",
    "postgresql://postgres@localhost/postgres?host=%2Ftmp%2Fsock",
  ])("accepts the local %s", (url) => {
    expect(() => assertLocalDatabaseUrl(url)).not.toThrow();
  });

  it.each([
    "postgresql://admin@db.example.com:5432/prod",
    "postgresql://admin@10.0.0.5/prod",
    "postgresql://admin@localhost.evil.com/prod",
    "postgresql://admin@127.0.0.1/x?host=db.example.com",
    "mysql://root@127.0.0.1/test",
  ])("refuses %s", (url) => {
    expect(() => assertLocalDatabaseUrl(url)).toThrow();
  });
});
