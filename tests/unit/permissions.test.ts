import { describe, expect, it } from "vitest";
import { can, permissionsOf } from "@/lib/auth/permissions";

describe("the role-to-permission map", () => {
  it("gives owners everything, editors flows and connections, viewers reading only", () => {
    expect(can("OWNER", "members.manage")).toBe(true);
    expect(can("OWNER", "project.delete")).toBe(true);
    expect(can("EDITOR", "flows.write")).toBe(true);
    expect(can("EDITOR", "connections.write")).toBe(true);
    expect(can("EDITOR", "members.manage")).toBe(false);
    expect(can("EDITOR", "project.delete")).toBe(false);
    expect(can("VIEWER", "flows.read")).toBe(true);
    expect(can("VIEWER", "runs.control")).toBe(false);
    expect(can("VIEWER", "connections.read")).toBe(false);
    expect(can("VIEWER", "connections.list")).toBe(true);
    expect(permissionsOf("VIEWER").every((p) => p.endsWith(".read") || p === "connections.list")).toBe(true);
  });

  it("refuses permissions it does not know, and callers without a role", () => {
    expect(can("OWNER", "flows.launch_missiles")).toBe(false);
    expect(can("OWNER", "__proto__")).toBe(false);
    expect(can("OWNER", "toString")).toBe(false);
    expect(can(null, "project.read")).toBe(false);
  });
});
