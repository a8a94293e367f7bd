// One name per concept across the codebase (developers' guide): no two capabilities of the core declare the same
// exported name, so `limits.X` and `run.X` never mean two different things (issue 12 found eleven such clashes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const core = join(import.meta.dirname, "../../src/core");

function declarations(dir: string): Array<{ name: string; file: string }> {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return declarations(path);
    if (!path.endsWith(".ts")) return [];
    const text = readFileSync(path, "utf8");
    return [...text.matchAll(/^export (?:declare )?(?:async )?(?:interface|type|function|const|let|class|enum) ([A-Za-z_$][\w$]*)/gm)].map((m) => ({
      name: m[1]!,
      file: relative(core, path),
    }));
  });
}

describe("the core's capabilities", () => {
  it("declare no exported name twice (each capability is one namespace of src/core/index.ts)", () => {
    const byName = new Map<string, Set<string>>();
    for (const entry of readdirSync(core)) {
      const path = join(core, entry);
      if (!statSync(path).isDirectory()) continue;
      for (const { name, file } of declarations(path)) {
        const files = byName.get(name) ?? new Set<string>();
        files.add(file);
        byName.set(name, files);
      }
    }
    const clashes = [...byName].filter(([, files]) => new Set([...files].map((f) => f.split("/")[0])).size > 1).map(([name, files]) => `${name}: ${[...files].join(", ")}`);
    expect(clashes).toEqual([]);
  });
});
