import { describe, expect, it } from "vitest";
import { projectSectionsFor } from "@/components/projects/project-sections";

const keys = (role: Parameters<typeof projectSectionsFor>[0], isBillingOn: boolean) => projectSectionsFor(role, isBillingOn).map((s) => s.key);

describe("projectSectionsFor", () => {
  it("gives an owner every section, Billing only with billing on", () => {
    expect(keys("OWNER", true)).toEqual(["flows", "runs", "connections", "members", "audit", "access-log", "api-keys", "billing", "settings"]);
    expect(keys("OWNER", false)).not.toContain("billing");
  });

  it("gives an editor API keys but no audit, access log or settings", () => {
    expect(keys("EDITOR", true)).toEqual(["flows", "runs", "connections", "members", "api-keys", "billing"]);
  });

  it("gives a viewer no API keys, Audit, Access log or Settings; the plan and usage with billing on", () => {
    expect(keys("VIEWER", false)).toEqual(["flows", "runs", "connections", "members"]);
    expect(keys("VIEWER", true)).toEqual(["flows", "runs", "connections", "members", "billing"]);
  });
});
