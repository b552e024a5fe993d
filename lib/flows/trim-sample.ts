// What of a sample the editor's picker can use (lib/editor/mapping.ts flattens to depth
// 6 and 3 items per array), so a listing sends fields, not megabytes. Whatever is cut
// is marked with "…" so nobody mistakes the rest for the whole value.

export const SAMPLE_TRIM_LIMITS = { maxDepth: 6, maxArrayItems: 3, maxKeys: 200, maxString: 200 };
export const TRIM_MARK = "…";

function trimString(text: string, max: number): string {
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return `${text.slice(0, end)}${TRIM_MARK}`;
}

/**
 * A copy of `value` cut to the limits: strings to `maxString` characters, arrays to
 * `maxArrayItems` items plus a "… N more" item, objects to `maxKeys` fields plus a "…"
 * field, and anything below `maxDepth` levels to "…" (a container at the last level
 * keeps its keys, so its preview still shows them).
 */
export function trimSample(value: unknown, limits = SAMPLE_TRIM_LIMITS): unknown {
  const walk = (item: unknown, depth: number): unknown => {
    if (depth > limits.maxDepth) return TRIM_MARK;
    if (typeof item === "string") return trimString(item, limits.maxString);
    if (item === null || typeof item !== "object") return item;
    if (Array.isArray(item)) {
      const kept = item.slice(0, limits.maxArrayItems).map((child) => walk(child, depth + 1));
      return item.length > kept.length ? [...kept, `${TRIM_MARK} ${item.length - kept.length} more`] : kept;
    }
    const entries = Object.entries(item);
    const kept = entries.slice(0, limits.maxKeys).map(([key, child]) => [key, walk(child, depth + 1)] as const);
    if (entries.length > kept.length) kept.push([TRIM_MARK, `${entries.length - kept.length} more fields`]);
    return Object.fromEntries(kept);
  };
  return walk(value, 0);
}
