// Spec text inside generated comments: it must not end the comment, nor turn into code after it.

/** Spec text inside a JSDoc block: it must not end the comment, and stays plain text. */
export function sanitizeDoc(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .replace(/[\u2028\u2029]/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\*\//g, "*\\/")
      .split("\n")
      .map((line) => line.replace(/\s+$/, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** Spec text as inline code in a JSDoc line: one line, and no backtick that would end the code span. */
export function inlineCode(text: string): string {
  return `\`${sanitizeDoc(text)
    .replace(/\s*\n\s*/g, " ")
    .replace(/`/g, "'")}\``;
}

/** Text inside a `//` comment: one line, so that nothing after it can become code. */
export function sanitizeLineComment(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
}
