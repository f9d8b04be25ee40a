// A TypeScript file asserting, for each path parameter a signature writes as its plain type (`id: string`), that
// the type is identical to the one `paths` gives it: a file that compiles only when every plain type is exact.
import type { OperationModel } from "../../codegen/model.js";

export interface PlainChecks {
  lines: string[];
  count: number;
}

/** `clients`: the name of a generated client's directory next to the file, and the operations it was generated from. */
export function plainTypeChecks(clients: Array<{ name: string; operations: OperationModel[] }>): PlainChecks {
  // `Equal` is true only for identical types (not merely mutually assignable: `any` would pass that).
  const lines = ["type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;"];
  let count = 0;
  for (const { name, operations } of clients) {
    const paths = `${name.replace(/\W/g, "_")}Paths`;
    lines.push(`import type { paths as ${paths} } from "./${name}/types.js";`);
    for (const operation of operations) {
      for (const parameter of operation.pathParameters) {
        if (parameter.plainType === undefined) continue;
        const indexed = `${paths}[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method)}]["parameters"]["path"][${JSON.stringify(parameter.name)}]`;
        lines.push(`export const check${count}: Equal<${indexed}, ${parameter.plainType}> = true;`);
        count += 1;
      }
    }
  }
  return { lines, count };
}
