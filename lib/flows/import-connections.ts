// Which connection a step of an imported flow file uses in this project. The file lists
// the connections its steps referred to (id, name, type; never a secret): the same id of
// the same type is kept; otherwise the one connection with the same name and type is
// used; otherwise the step is left without one, and the caller says which steps need
// one. Shared by the server's import (a new flow) and the editor's (this flow's draft).
import type { TFlowNode } from "./document";
import type { TFlowFile } from "./flow-file";

export type TAvailableConnection = { id: string; name: string; type: string };

export type TImportConnections = {
  nodes: TFlowNode[];
  /** Steps whose connection was found under another id (by name and type). */
  remapped: { nodeId: string; connectionName: string }[];
  /** Steps that need a connection chosen before publishing. */
  unresolved: { nodeId: string; connectionName: string | null; type: string | null }[];
};

export function resolveImportConnections(
  nodes: readonly TFlowNode[],
  listed: TFlowFile["connections"],
  available: readonly TAvailableConnection[],
): TImportConnections {
  const described = new Map(listed.map((c) => [c.id, c]));
  const remapped: TImportConnections["remapped"] = [];
  const unresolved: TImportConnections["unresolved"] = [];
  const resolved = nodes.map((node) => {
    const wanted = node.config.connectionId;
    if (typeof wanted !== "string") return node;
    const file = described.get(wanted);
    if (available.some((c) => c.id === wanted && (!file || c.type === file.type))) return node;
    const byName = file ? available.filter((c) => c.name === file.name && c.type === file.type) : [];
    if (byName.length === 1) {
      remapped.push({ nodeId: node.id, connectionName: byName[0]!.name });
      return { ...node, config: { ...node.config, connectionId: byName[0]!.id } };
    }
    unresolved.push({ nodeId: node.id, connectionName: file?.name ?? null, type: file?.type ?? null });
    return { ...node, config: { ...node.config, connectionId: null } };
  });
  return { nodes: resolved, remapped, unresolved };
}
