/**
 * A failure the user can fix: one line of cause, and where (file, URL, JSON pointer, line:column).
 * The CLI prints `inject-client: <message> (at <location>)` and exits with 1.
 */
export class CodegenError extends Error {
  override name = "CodegenError";
  readonly location: string | undefined;

  constructor(message: string, location?: string) {
    super(oneLine(message));
    this.location = location;
  }

  /** The one line the CLI prints. */
  describe(): string {
    return this.location ? `${this.message} (at ${this.location})` : this.message;
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
