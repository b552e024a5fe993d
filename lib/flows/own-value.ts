// Node ids are user-chosen names, and `toString`, `constructor` or `valueOf` are legal
// ones: looking one up with `record[id]` on a plain object finds Object.prototype's
// method instead of "nothing". Records keyed by node id are read through this.

/** The record's own value under `key`, or undefined (never an inherited one). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
