// A strict multipart/form-data reader (RFC 7578, RFC 2046 section 5.1). undici's `Response.formData()`
// parses multipart too, but drops the Content-Type of parts without a filename, which is exactly what
// a spec's `encoding.<property>.contentType` is about: this one keeps every part's headers.

export interface Part {
  name: string;
  filename?: string;
  /** The part's Content-Type header, when it has one. */
  contentType?: string;
  data: Buffer;
}

/** `form-data; name="file"; filename="a.png"` -> { name, filename }; quoted strings may hold `;` and `\"`. */
function dispositionParameters(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of value.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    out[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!.trim();
  }
  return out;
}

/** The boundary of a `multipart/form-data; boundary=...` Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The parts, or a problem naming what is malformed. */
export function parseMultipart(body: Buffer, boundary: string): { parts: Part[] } | { problem: string } {
  const delimiter = Buffer.from(`--${boundary}`);
  if (body.indexOf(delimiter) !== 0) return { problem: `multipart body does not start with its boundary --${boundary}` };
  const parts: Part[] = [];
  let position = delimiter.length;
  for (;;) {
    // After a delimiter: `--` ends the body, CRLF starts a part.
    if (body.subarray(position, position + 2).toString("latin1") === "--") return { parts };
    if (body.subarray(position, position + 2).toString("latin1") !== "\r\n") return { problem: "multipart delimiter is not followed by CRLF or --" };
    position += 2;
    const headerEnd = body.indexOf("\r\n\r\n", position);
    if (headerEnd < 0) return { problem: `multipart part ${parts.length + 1} has no end of headers` };
    const headers = new Map<string, string>();
    for (const line of body.subarray(position, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) return { problem: `multipart part ${parts.length + 1} is not closed by --${boundary}` };
    const disposition = headers.get("content-disposition") ?? "";
    if (!/^form-data\s*(;|$)/i.test(disposition)) return { problem: `multipart part ${parts.length + 1} has no Content-Disposition: form-data` };
    const parameters = dispositionParameters(disposition);
    if (parameters.name === undefined) return { problem: `multipart part ${parts.length + 1} has no name` };
    parts.push({
      name: parameters.name,
      filename: parameters.filename,
      contentType: headers.get("content-type"),
      data: body.subarray(headerEnd + 4, next),
    });
    position = next + 2 + delimiter.length;
  }
}
