import { assertLocalDatabaseUrl, testDatabaseUrl } from "../support/test-database";

export default function setup() {
  const url = testDatabaseUrl();
  if (url) assertLocalDatabaseUrl(url);
  console.log(
    url
      ? "integration tests: one database per file on TEST_DATABASE_URL's server"
      : "integration tests: TEST_DATABASE_URL is unset, using an in-memory embedded PostgreSQL per file",
  );
}
