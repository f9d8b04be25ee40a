/** Offsets of every occurrence of `text` in `code` (in code, comments and strings alike), ascending, added to `into`. */
export function occurrences(code: string, text: string, into: number[] = []): number[] {
  for (let at = code.indexOf(text); at !== -1; at = code.indexOf(text, at + text.length)) into.push(at);
  return into;
}

/** Whether some offset of `sorted` (ascending) lies in [start, end): a binary search. */
export function anyWithin(sorted: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < start) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low]! < end;
}
