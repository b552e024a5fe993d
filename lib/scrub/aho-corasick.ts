// Aho–Corasick compiled to a dense DFA over the characters that occur in the patterns:
// one table lookup per input character, so matching any number of patterns is linear
// in the text. Memory is states × (distinct pattern characters + 1) 32-bit entries.

export type TPattern = { text: string; tag: number };

// Called once per (end position, tag) with the longest pattern of that tag ending
// there. Callers give patterns that need individual treatment a tag of their own.
export type TMatchVisitor = (start: number, end: number, tag: number) => void;

export type AhoCorasick = {
  readonly stateCount: number;
  scan(text: string, visit: TMatchVisitor): void;
};

export type TAhoCorasickOptions = {
  // ASCII letters match either case: "A" and "a" share one character class, so case
  // folding costs nothing while scanning (the same single table lookup per character).
  isCaseInsensitive?: boolean;
};

type TTables = {
  stateCount: number;
  width: number;
  classOf: Uint16Array;
  delta: Int32Array;
  outStart: Int32Array;
  outCount: Int32Array;
  outData: Int32Array;
};

export function buildAhoCorasick(patterns: readonly TPattern[], options: TAhoCorasickOptions = {}): AhoCorasick {
  const tables = compile(patterns, options);
  return { stateCount: tables.stateCount, scan: (text, visit) => scanOne(tables, text, visit) };
}

// Two pattern sets that need different options (case-sensitive base64, caseless hex),
// run side by side in one loop over the text: one pass, two table lookups per character.
export function buildAhoCorasickPair(
  first: { patterns: readonly TPattern[]; options?: TAhoCorasickOptions },
  second: { patterns: readonly TPattern[]; options?: TAhoCorasickOptions },
): AhoCorasick {
  const a = compile(first.patterns, first.options ?? {});
  const b = compile(second.patterns, second.options ?? {});
  if (a.stateCount === 1) return { stateCount: b.stateCount, scan: (text, visit) => scanOne(b, text, visit) };
  if (b.stateCount === 1) return { stateCount: a.stateCount, scan: (text, visit) => scanOne(a, text, visit) };
  return { stateCount: a.stateCount + b.stateCount, scan: (text, visit) => scanTwo(a, b, text, visit) };
}

function compile(patterns: readonly TPattern[], options: TAhoCorasickOptions): TTables {
  const classOf = new Uint16Array(65536);
  let classCount = 1; // class 0: every character that occurs in no pattern
  for (const { text } of patterns) {
    for (let i = 0; i < text.length; i++) {
      const code = options.isCaseInsensitive ? toAsciiLower(text.charCodeAt(i)) : text.charCodeAt(i);
      if (classOf[code] === 0) classOf[code] = classCount++;
    }
  }
  if (options.isCaseInsensitive) {
    for (let upper = 65; upper <= 90; upper++) classOf[upper] = classOf[upper + 32]!;
  }

  const children: Map<number, number>[] = [new Map()];
  const outputs: Map<number, number>[] = [new Map()]; // tag → longest length
  for (const { text, tag } of patterns) {
    if (text.length === 0) continue;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const cls = classOf[text.charCodeAt(i)]!;
      let next = children[state]!.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push(new Map());
        children[state]!.set(cls, next);
      }
      state = next;
    }
    const own = outputs[state]!;
    own.set(tag, Math.max(own.get(tag) ?? 0, text.length));
  }

  const stateCount = children.length;
  const width = classCount;
  const delta = new Int32Array(stateCount * width);
  const fail = new Int32Array(stateCount);
  // Breadth-first: a state's failure target is shallower, so its row and its merged
  // outputs are complete before they are needed.
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    if (state !== 0) {
      const own = outputs[state]!;
      for (const [tag, length] of outputs[fail[state]!]!) {
        if ((own.get(tag) ?? 0) < length) own.set(tag, length);
      }
    }
    for (let cls = 1; cls < width; cls++) {
      const child = children[state]!.get(cls);
      const fallback = state === 0 ? 0 : delta[fail[state]! * width + cls]!;
      if (child === undefined) {
        delta[state * width + cls] = fallback;
      } else {
        fail[child] = fallback;
        delta[state * width + cls] = child;
        queue.push(child);
      }
    }
  }

  const outStart = new Int32Array(stateCount);
  const outCount = new Int32Array(stateCount);
  const flat: number[] = [];
  for (let state = 0; state < stateCount; state++) {
    outStart[state] = flat.length;
    outCount[state] = outputs[state]!.size;
    for (const [tag, length] of outputs[state]!) flat.push(tag, length);
  }
  const outData = Int32Array.from(flat);

  return { stateCount, width, classOf, delta, outStart, outCount, outData };
}

function scanOne(t: TTables, text: string, visit: TMatchVisitor): void {
  if (t.stateCount === 1) return;
  const { width, classOf, delta, outCount } = t;
  let state = 0;
  for (let i = 0; i < text.length; i++) {
    state = delta[state * width + classOf[text.charCodeAt(i)]!]!;
    if (outCount[state]! !== 0) report(t, state, i + 1, visit);
  }
}

function scanTwo(a: TTables, b: TTables, text: string, visit: TMatchVisitor): void {
  const { width: widthA, classOf: classA, delta: deltaA, outCount: countA } = a;
  const { width: widthB, classOf: classB, delta: deltaB, outCount: countB } = b;
  let stateA = 0;
  let stateB = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    stateA = deltaA[stateA * widthA + classA[code]!]!;
    stateB = deltaB[stateB * widthB + classB[code]!]!;
    if (countA[stateA]! !== 0) report(a, stateA, i + 1, visit);
    if (countB[stateB]! !== 0) report(b, stateB, i + 1, visit);
  }
}

function report(t: TTables, state: number, end: number, visit: TMatchVisitor): void {
  const { outStart, outCount, outData } = t;
  for (let k = outStart[state]!, stop = k + outCount[state]! * 2; k < stop; k += 2) {
    visit(end - outData[k + 1]!, end, outData[k]!);
  }
}

function toAsciiLower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
