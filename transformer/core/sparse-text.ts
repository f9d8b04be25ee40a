/**
 * The text oxc is given to parse: the file with the inside of every block the analysis never reads
 * replaced by spaces. oxc hands its AST to JavaScript as JSON, every node of the file, and that
 * transfer is most of what the bundler doors cost (bench P8's breakdown); the analysis walks only the
 * paths to the tags and to the `injected` names (./analyze.ts), and the rewrite reads only the tagged
 * functions' bodies. Blanking keeps every offset, so the AST of the sparse text is the file's AST with
 * those blocks empty, positions and all.
 *
 * Hand-written on purpose: js-tokens, the well-kept JavaScript tokenizer, took 130–160 ms for the 200
 * tagged modules of the P8 project, as much as the JSON it would save; this loop ~30 ms cold. It only
 * has to find braces (past strings, templates, comments and regular expressions): whenever it is unsure
 * it gives up (`undefined`: parse the whole text), and the caller checks what it blanked against the
 * analysis of the sparse AST (`Sparse.serves`), falling back to the whole text if a blanked block
 * mattered after all.
 */

import { TAG_TEXT } from "../tag.js";
import { anyWithin, occurrences } from "./offsets.js";

const TOP = 0;
const BRACE = 1;
const PAREN = 2;
const BRACKET = 3;
const TEMPLATE = 4;
const SUBSTITUTION = 5;

interface Frame {
  kind: number;
  /** Offset of the opening character. */
  open: number;
  /** Whether blocks opened directly in this frame may be blanked: every frame around is a block or the file. */
  blockChain: boolean;
  /** A block whose inside may be blanked (decided when it opens; its text is checked when it closes). */
  blankable: boolean;
  /** Inside a block that follows a tag: kept whole, every nested block too. */
  guarded: boolean;
  /** A tag was seen in this frame: the blocks opened here are guarded until one that looks like a function body. */
  guarding: boolean;
}

/** Words after which `/` starts a regular expression (after any other word it divides). */
const REGEX_AFTER = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/** Words after which `{` is a type (`T extends {…}`), not a function body, between a tag and its function's body. */
const TYPE_WORDS = new Set(["extends", "keyof", "typeof", "infer", "as", "satisfies", "is", "asserts", "readonly", "unique"]);

/** Words after which `{` lists import or export names: never blanked (the key lookup reads them). */
const NAME_LIST_WORDS = new Set(["import", "export", "type"]);

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const WORD = 0x61; // what `prev` holds after a word, a number, a string or a regular expression: a value

function isWordChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === DOLLAR ||
    c === 0x23 ||
    c === BACKSLASH ||
    c > 0x7f
  );
}

function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    c === NEWLINE ||
    c === RETURN ||
    c === 0x09 ||
    c === 0x0b ||
    c === 0x0c ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x2028 ||
    c === 0x2029
  );
}

/** Sorted offsets where something the analysis reads is spelled: the tag and each name. */
function keepOffsets(code: string, words: Iterable<string>): number[] {
  const offsets: number[] = [];
  for (const word of [TAG_TEXT, ...words]) occurrences(code, word, offsets);
  return offsets.sort((a, b) => a - b);
}

/** `import { injected as inj }`, `const { injected: inj } = require(…)`: the local names `injected` may go by. */
const ALIAS = /injected["']?\s*(?:as\s|:)\s*([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)/gu;

export class Sparse {
  constructor(
    /** The text to parse: as long as the file, its blanked blocks spaces. */
    readonly text: string,
    /** [start, end) of each blanked span, flattened, in order. */
    readonly spans: readonly number[],
    /** The names whose every occurrence was kept. */
    readonly names: ReadonlySet<string>,
  ) {}

  /** Whether [start, end) of the file lost nothing. */
  intact(start: number, end: number): boolean {
    for (let index = 0; index < this.spans.length; index += 2) {
      if (this.spans[index]! < end && this.spans[index + 1]! > start) return false;
    }
    return true;
  }

  /**
   * Whether the analysis of the sparse AST is the file's: every local name of `injected` was kept, and
   * no function the rewrite edits lost any of its body (the rewrite reads its `return` statements).
   */
  serves(injectedNames: Iterable<string>, bodies: Iterable<{ start: number; end: number }>): boolean {
    for (const name of injectedNames) if (!this.names.has(name)) return false;
    for (const body of bodies) if (!this.intact(body.start, body.end)) return false;
    return true;
  }
}

/**
 * The sparse text of `code` (`code` itself when no block can go), or undefined where the scan is unsure
 * (an unbalanced bracket, a string or comment left open, a `/` it cannot place): parse `code` then.
 * Not for JSX, whose text and attributes follow other rules (the caller parses it whole).
 */
export function sparseText(code: string): Sparse | undefined {
  const names = new Set(["injected"]);
  for (const match of code.matchAll(ALIAS)) names.add(match[1]!);
  // Emitted JavaScript may be CommonJS: whether it is reads `import.meta` and `import()` too, wherever they are.
  const keep = keepOffsets(code, [...names, "import"]);
  const spans: number[] = [];
  const stack: Frame[] = [{ kind: TOP, open: -1, blockChain: true, blankable: false, guarded: false, guarding: false }];
  const length = code.length;
  let prev = 0; // the last significant character (0: none yet), WORD after a value
  // The last token's offsets, when it was a word: sliced only where a decision reads it (most words never are).
  let wordStart = 0;
  let wordEnd = 0;
  const wordIn = (words: ReadonlySet<string>) => prev === WORD && wordEnd > wordStart && words.has(code.slice(wordStart, wordEnd));
  let i = code.startsWith("#!") ? code.indexOf("\n") : 0;
  if (i === -1) return undefined;

  while (i < length) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === TEMPLATE) {
      const c = code.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === BACKTICK) {
        stack.pop();
        prev = WORD;
        wordEnd = wordStart;
        i++;
      } else if (c === DOLLAR && code.charCodeAt(i + 1) === OPEN_BRACE) {
        stack.push({ kind: SUBSTITUTION, open: i + 1, blockChain: false, blankable: false, guarded: frame.guarded, guarding: false });
        prev = OPEN_BRACE;
        wordEnd = wordStart;
        i += 2;
      } else i++;
      continue;
    }

    const c = code.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (isWordChar(c)) {
      wordStart = i;
      while (i < length && isWordChar(code.charCodeAt(i))) i++;
      wordEnd = i;
      prev = WORD;
      continue;
    }
    if (c === SLASH) {
      const next = code.charCodeAt(i + 1);
      if (next === SLASH) {
        const end = code.indexOf("\n", i);
        i = end === -1 ? length : end;
        continue;
      }
      if (next === STAR) {
        const end = code.indexOf("*/", i + 2);
        if (end === -1) return undefined;
        if (code.charCodeAt(i + 2) === STAR && code.slice(i, end).includes(TAG_TEXT)) frame.guarding = true;
        i = end + 2;
        continue;
      }
      if (prev === WORD ? wordIn(REGEX_AFTER) : prev !== 0x29 && prev !== 0x5d && prev !== CLOSE_BRACE) {
        i = regexEnd(code, i);
        if (i === -1) return undefined;
        prev = WORD;
        wordEnd = wordStart;
        continue;
      }
      prev = c;
      wordEnd = wordStart;
      i++;
      continue;
    }
    if (c === 0x21 && code.charCodeAt(i + 1) !== 0x3d && (prev === WORD || prev === 0x29 || prev === 0x5d)) {
      // TypeScript's postfix `x!`: a value still, so a `/` after it divides.
      prev = 0x29;
      wordEnd = wordStart;
      i++;
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      i = stringEnd(code, i, c);
      if (i === -1) return undefined;
      prev = WORD;
      wordEnd = wordStart;
      continue;
    }
    if (c === BACKTICK) {
      stack.push({ kind: TEMPLATE, open: i, blockChain: false, blankable: false, guarded: frame.guarded, guarding: false });
      i++;
      continue;
    }
    if (c === OPEN_BRACE) {
      const guarded = frame.guarded || frame.guarding;
      const lists = prev === 0x2c || wordIn(NAME_LIST_WORDS);
      if (frame.guarding && (prev === WORD ? !wordIn(TYPE_WORDS) : looksLikeBody(prev))) frame.guarding = false;
      const blockChain = frame.blockChain && (frame.kind === TOP || frame.kind === BRACE);
      stack.push({ kind: BRACE, open: i, blockChain, blankable: blockChain && !guarded && !lists, guarded, guarding: false });
    } else if (c === 0x28 || c === 0x5b) {
      stack.push({ kind: c === 0x28 ? PAREN : BRACKET, open: i, blockChain: false, blankable: false, guarded: frame.guarded, guarding: false });
    } else if (c === CLOSE_BRACE) {
      if (frame.kind === SUBSTITUTION) {
        stack.pop();
        i++;
        continue; // back in the template
      }
      if (frame.kind !== BRACE) return undefined;
      stack.pop();
      if (frame.blankable && !anyWithin(keep, frame.open + 1, i)) {
        // Blocks inside it were blanked already: this span covers them.
        while (spans.length > 0 && spans[spans.length - 2]! > frame.open) spans.length -= 2;
        if (i > frame.open + 1) spans.push(frame.open + 1, i);
      }
    } else if (c === 0x29 || c === 0x5d) {
      if (frame.kind !== (c === 0x29 ? PAREN : BRACKET)) return undefined;
      stack.pop();
    }
    prev = c;
    wordEnd = wordStart;
    i++;
  }
  if (stack.length !== 1) return undefined;

  let text = "";
  let from = 0;
  for (let index = 0; index < spans.length; index += 2) {
    text += code.slice(from, spans[index]) + " ".repeat(spans[index + 1]! - spans[index]!);
    from = spans[index + 1]!;
  }
  return new Sparse(text + code.slice(from), spans, names);
}

/**
 * Between a tag and its function's body, the blocks met are parameter defaults' objects (inside the
 * parentheses, never blanked anyway) and return types' literals (after `:`, `<`, `|`, `&`, `,`, a
 * type word); the body follows `)`, `=>`, a type's last token. A wrong guess is caught by `serves`.
 */
function looksLikeBody(prev: number): boolean {
  return prev === 0x29 || prev === 0x3e || prev === 0x5d || prev === CLOSE_BRACE;
}

/** The offset after a string literal opened at `start`; -1 if a line ends first. */
function stringEnd(code: string, start: number, quote: number): number {
  for (let i = start + 1; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === BACKSLASH) i++;
    else if (c === NEWLINE || c === RETURN) return -1;
  }
  return -1;
}

/** The offset after a regular expression literal (and its flags) opened at `start`; -1 if a line ends first. */
function regexEnd(code: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === NEWLINE || c === RETURN) return -1;
    else if (c === 0x5b) inClass = true;
    else if (c === 0x5d) inClass = false;
    else if (c === SLASH && !inClass) {
      let end = i + 1;
      while (end < code.length && isWordChar(code.charCodeAt(end))) end++;
      return end;
    }
  }
  return -1;
}
