/**
 * oxc-parser's own parser, for hosts that have none loaded. Its `parseSync` reads every field of the
 * native result at once, the module record too, whose objects cost as much to build as the parse; the
 * core needs `module` only for a file that may be CommonJS. So the native function, with `program`'s
 * JSON taken at once as oxc-parser does (an unread one is freed only with the result, and parsing slows
 * while they pile up) and parsed on first use, and `module` read only when asked for.
 */
import { parseSync as parseNative } from "oxc-parser/src-js/bindings";
import { jsonParseAst } from "oxc-parser/src-js/wrap";
import type { ParseSync } from "./ast.js";

export const oxcParseSync: ParseSync = (fileName, code, options) => {
  const result = parseNative(fileName, code, options);
  let json: string | undefined = result.program;
  let program: unknown;
  return {
    get program() {
      if (json !== undefined) {
        program = jsonParseAst(json);
        json = undefined;
      }
      return program;
    },
    comments: result.comments,
    errors: result.errors,
    get module() {
      return result.module;
    },
  };
};
