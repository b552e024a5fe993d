// Ranges of a text to redact, gathered from every detector, then merged and replaced in
// one pass. Detectors report in any order; overlapping and touching ranges merge.
import { isBase64Char } from "./char-classes";

export class RedactionRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  // Widen to the whole surrounding base64 run: a secret found inside a blob (Basic
  // credentials, an encoded config) takes its neighbours with it, so no partial
  // characters of the secret and no user name stay behind.
  private readonly isWidened: boolean[] = [];

  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  // One instance serves every string a scrubber sees; apply() leaves it empty.
  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.isWidened.length = 0;
  }

  add(start: number, end: number, isWidened = false): void {
    if (end <= start) return;
    // Matches arrive mostly in order of their end; folding into the previous range keeps
    // a text full of repeated hits at one range instead of millions.
    let last = this.starts.length - 1;
    while (last >= 0 && this.ends[last]! >= start && this.starts[last]! <= end) {
      start = Math.min(start, this.starts[last]!);
      end = Math.max(end, this.ends[last]!);
      isWidened ||= this.isWidened[last]!;
      this.starts.pop();
      this.ends.pop();
      this.isWidened.pop();
      last--;
    }
    this.starts.push(start);
    this.ends.push(end);
    this.isWidened.push(isWidened);
  }

  // Each character is examined by at most one widening scan, so this stays linear.
  apply(text: string, marker: string): string {
    if (this.starts.length === 0) return text;
    const order = this.starts.map((_, index) => index).sort((a, b) => this.starts[a]! - this.starts[b]!);
    const pieces: string[] = [];
    let emitted = 0; // text before this index is already in `pieces` or redacted
    let openStart = -1;
    let openEnd = -1;
    for (const index of order) {
      let start = this.starts[index]!;
      let end = this.ends[index]!;
      const floor = Math.max(openEnd, emitted);
      if (this.isWidened[index]) {
        while (start > floor && isBase64Char(text.charCodeAt(start - 1))) start--;
        let right = Math.max(end, openEnd);
        while (right < text.length && isBase64Char(text.charCodeAt(right))) right++;
        for (let pad = 0; pad < 2 && text.charCodeAt(right) === 61; pad++) right++;
        end = Math.max(end, right);
      }
      if (openStart >= 0 && start <= openEnd) {
        openEnd = Math.max(openEnd, end);
        continue;
      }
      if (openStart >= 0) {
        pieces.push(text.slice(emitted, openStart), marker);
        emitted = openEnd;
      }
      openStart = start;
      openEnd = end;
    }
    pieces.push(text.slice(emitted, openStart), marker, text.slice(openEnd));
    this.clear();
    return pieces.join("");
  }
}
