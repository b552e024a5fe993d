// The deep walk: a scrubbed copy of any value, never a mutation of it.
//
// An explicit stack instead of recursion, so a 10,000-level value cannot overflow the
// call stack; beyond `maxDepth` a value is redacted whole rather than dropped, so the
// log shows something was there. Strings that hold JSON are parsed and walked, so key
// names inside them count; that nesting is bounded separately.
import { CIRCULAR, REDACTED } from "./markers";
import { containsKnownSecret, scrubTextWith, type TextScrubContext } from "./scrub-text";
import { isCachedSensitive } from "./key-value-text";
import { toPlainShape, type TPlainShape } from "./to-plain-shape";

export type ValueScrubContext = TextScrubContext & {
  maxDepth: number;
  maxJsonStringDepth: number;
  keyCache: Map<string, string>;
};

type Tally = { redactions: number };
type Container = Record<string, unknown> | unknown[];
type Frame = { isClose: false; value: object; target: Container; key: string | number; depth: number } | { isClose: true; value: object };

export function scrubValueWith(value: unknown, context: ValueScrubContext, jsonDepth = 0, tally: Tally = { redactions: 0 }): unknown {
  const walker = new Walker(context, jsonDepth, tally);
  return walker.walk(value);
}

class Walker {
  private readonly copies = new Map<object, unknown>();
  private readonly open = new Set<object>();
  private readonly stack: Frame[] = [];

  constructor(
    private readonly context: ValueScrubContext,
    private readonly jsonDepth: number,
    private readonly tally: Tally,
  ) {}

  walk(value: unknown): unknown {
    const root: unknown[] = [undefined];
    this.placeChild(root, 0, value, 0);
    while (this.stack.length > 0) {
      const frame = this.stack.pop()!;
      if (frame.isClose) this.open.delete(frame.value);
      else this.visitObject(frame.value, frame.target, frame.key, frame.depth);
    }
    return root[0];
  }

  // Primitives are scrubbed in place; objects get a placeholder now (keeping key order)
  // and their copy when their frame comes off the stack.
  private placeChild(target: Container, key: string | number, value: unknown, depth: number): void {
    if (typeof value === "object" && value !== null) {
      setOwn(target, key, null);
      this.stack.push({ isClose: false, value, target, key, depth });
    } else {
      setOwn(target, key, this.scrubPrimitive(value));
    }
  }

  private visitObject(value: object, target: Container, key: string | number, depth: number): void {
    if (depth > this.context.maxDepth) return this.redact(target, key);
    if (this.copies.has(value)) {
      setOwn(target, key, this.open.has(value) ? CIRCULAR : this.copies.get(value));
      return;
    }
    let shape: TPlainShape;
    try {
      shape = toPlainShape(value, String(key));
    } catch {
      return this.redact(target, key);
    }
    if (shape.kind === "leaf") {
      const leaf = shape.value;
      const copy = leaf instanceof Date ? leaf : typeof leaf === "object" && leaf !== null ? REDACTED : this.scrubPrimitive(leaf);
      this.copies.set(value, copy);
      setOwn(target, key, copy);
      return;
    }
    const copy: Container = shape.kind === "array" ? new Array<unknown>(shape.items.length) : {};
    this.copies.set(value, copy);
    this.open.add(value);
    setOwn(target, key, copy);
    this.stack.push({ isClose: true, value });
    if (shape.kind === "array") this.fillArray(copy as unknown[], shape.items, depth + 1);
    else this.fillObject(copy as Record<string, unknown>, shape.source, shape.keys, depth + 1);
  }

  private fillArray(copy: unknown[], items: unknown[], depth: number): void {
    // A [name, value] pair with a credential name: header entries, Map entries.
    const isCredentialPair = items.length === 2 && typeof items[0] === "string" && this.isSensitive(items[0]);
    for (let index = 0; index < items.length; index++) {
      if (index === 1 && isCredentialPair && hasContent(items[1])) this.redact(copy, 1);
      else this.placeChild(copy, index, items[index], depth);
    }
  }

  private fillObject(copy: Record<string, unknown>, source: object, keys: string[], depth: number): void {
    // { name: "Authorization", value: "..." }, as in HAR logs and header lists.
    let isNamedCredential = false;
    if (keys.includes("value")) {
      const namedBy = keys.includes("name") ? readEntry(source, "name") : keys.includes("key") ? readEntry(source, "key") : undefined;
      isNamedCredential = typeof namedBy === "string" && this.isSensitive(namedBy);
    }
    for (const name of keys) {
      const item = readEntry(source, name);
      const scrubbedName = this.uniqueKey(copy, this.scrubKey(name));
      const isCredential = this.isSensitive(name) || (isNamedCredential && name === "value");
      if (isCredential && hasContent(item)) this.redact(copy, scrubbedName);
      else this.placeChild(copy, scrubbedName, item, depth);
    }
  }

  private scrubPrimitive(value: unknown): unknown {
    switch (typeof value) {
      case "string":
        return this.scrubString(value);
      case "number":
      case "bigint": {
        // A numeric PIN or account number that is itself a secret.
        if (!containsKnownSecret(String(value), this.context)) return value;
        this.tally.redactions++;
        return REDACTED;
      }
      case "function":
      case "symbol":
        return undefined; // as JSON.stringify drops them
      default:
        return value;
    }
  }

  private scrubString(text: string): string {
    if (this.jsonDepth < this.context.maxJsonStringDepth && looksLikeJsonContainer(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === "object" && parsed !== null) {
        const inner: Tally = { redactions: 0 };
        const scrubbed = scrubValueWith(parsed, this.context, this.jsonDepth + 1, inner);
        // Untouched JSON keeps its exact text (formatting, number precision).
        if (inner.redactions === 0) return text;
        this.tally.redactions += inner.redactions;
        return JSON.stringify(scrubbed, null, text.includes("\n") ? 2 : undefined);
      }
    }
    const scrubbed = scrubTextWith(text, this.context);
    if (scrubbed !== text) this.tally.redactions++;
    return scrubbed;
  }

  private scrubKey(name: string): string {
    let scrubbed = this.context.keyCache.get(name);
    if (scrubbed === undefined) {
      scrubbed = scrubTextWith(name, this.context);
      if (this.context.keyCache.size < 10_000) this.context.keyCache.set(name, scrubbed);
    }
    if (scrubbed !== name) this.tally.redactions++;
    return scrubbed;
  }

  // Two keys that scrub to the same text must not overwrite each other.
  private uniqueKey(copy: Record<string, unknown>, name: string): string {
    if (!Object.hasOwn(copy, name)) return name;
    let suffix = 2;
    while (Object.hasOwn(copy, `${name}#${suffix}`)) suffix++;
    return `${name}#${suffix}`;
  }

  private isSensitive(name: string): boolean {
    if (this.context.isKnownSecretsOnly) return false;
    return isCachedSensitive(name, this.context.keyNameCache);
  }

  private redact(target: Container, key: string | number): void {
    this.tally.redactions++;
    setOwn(target, key, REDACTED);
  }
}

// Defined, never assigned: `copy["__proto__"] = x` would replace the copy's prototype
// instead of adding a key.
function setOwn(target: Container, key: string | number, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (target as Record<string | number, unknown>)[key] = value;
  }
}

// A getter that throws must not abort the whole log entry.
function readEntry(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    return REDACTED;
  }
}

// null, undefined and "" say "no credential was given", which a log may keep.
function hasContent(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}

function looksLikeJsonContainer(text: string): boolean {
  for (let i = 0; i < text.length && i < 64; i++) {
    const code = text.charCodeAt(i);
    if (code === 123 || code === 91) return true;
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return false;
}
