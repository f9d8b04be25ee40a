// Redocly's resolver, with every document a `$ref` (or an example's externalValue, or a discriminator
// mapping) names checked against the ref policy before it is read, and read within the load's budget.
// Redocly turns a failed read into a "Can't resolve $ref" problem at the ref; refusals and limits are
// also kept here, so that the loader reports them as such even where Redocly would not.
import { BaseResolver, Source, type Document } from "@redocly/openapi-core";
import { parseSpecUrl, redactUrl } from "./load-url.js";
import { fetchWithin, FetchFailure, readFileWithin } from "./read-source.js";
import type { RefPolicy, Refusal } from "./ref-policy.js";
import { SpecLimitError, type SpecBudget } from "./spec-limits.js";

export interface RefusedRef extends Refusal {
  absoluteRef: string;
  /** The message Redocly reports at the ref: `Can't resolve $ref: <message>`. */
  message: string;
}

/** A refusal, as thrown to Redocly. */
class RefRefusedError extends Error {
  override name = "RefRefusedError";
}

export class ConfinedResolver extends BaseResolver {
  readonly refused: RefusedRef[] = [];
  /** The first limit reached: it ends the load, wherever it happened. */
  limitReached: SpecLimitError | undefined;

  constructor(
    private readonly policy: RefPolicy,
    private readonly budget: SpecBudget,
    /** The spec URL's credentials: sent to that origin only. */
    private readonly credentials?: { origin: string; authorization: string },
  ) {
    super();
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const refusal = await this.policy.refusal(absoluteRef);
    if (refusal) this.refuse(absoluteRef, refusal);
    const shown = /^https?:\/\//i.test(absoluteRef) ? redactUrl(absoluteRef) : absoluteRef;
    try {
      this.budget.addDocument(shown);
      if (/^https?:\/\//i.test(absoluteRef)) return await this.fetch(absoluteRef, shown);
      const text = await readFileWithin(absoluteRef, this.budget, "ref", shown);
      // Files with \r\n line ends, as Redocly's own loader does.
      return new Source(absoluteRef, text.replace(/\r\n/g, "\n"));
    } catch (error) {
      if (error instanceof SpecLimitError) this.limitReached ??= error;
      if ((error as NodeJS.ErrnoException).code === "EISDIR") throw new Error(`Expected a file but received a folder at ${absoluteRef}.`);
      throw error;
    }
  }

  private async fetch(absoluteRef: string, shown: string): Promise<Source> {
    let target: ReturnType<typeof parseSpecUrl>;
    try {
      target = parseSpecUrl(absoluteRef);
    } catch (error) {
      throw new Error(`Failed to load ${shown}: ${(error as Error).message}`);
    }
    const credentials = target.authorization ? { origin: target.url.origin, authorization: target.authorization } : this.credentials;
    try {
      const fetched = await fetchWithin(target.url, {
        budget: this.budget,
        subject: "ref",
        location: shown,
        credentials,
        redirectRefusal: (from, to) => this.policy.redirectRefusal(from, to),
      });
      return new Source(absoluteRef, fetched.text, fetched.mimeType);
    } catch (error) {
      if (error instanceof FetchFailure && error.kind === "refused") this.refuse(absoluteRef, { reason: error.message, optIn: true });
      if (error instanceof FetchFailure) throw new Error(`Failed to load ${shown}: ${error.message}`);
      throw error;
    }
  }

  private refuse(absoluteRef: string, refusal: Refusal): never {
    const message = `refused: ${refusal.reason}`;
    this.refused.push({ ...refusal, absoluteRef, message });
    throw new RefRefusedError(message);
  }

  override parseDocument(source: Source, isRoot = false): Document {
    const document = super.parseDocument(source, isRoot);
    const shown = /^https?:\/\//i.test(source.absoluteRef) ? redactUrl(source.absoluteRef) : source.absoluteRef;
    try {
      this.budget.spendValues(document.parsed, "ref", shown);
    } catch (error) {
      if (error instanceof SpecLimitError) this.limitReached ??= error;
      throw error;
    }
    return document;
  }
}
