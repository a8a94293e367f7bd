// The CLI loads only the command it runs (commands/index.ts); these pin which modules each invocation loads and
// that the lazy table names every command by the name it registers.
import { Command } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { modulesFor, registerCommands } from "../src/cli/commands/index.ts";
import { memoryIO } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";

describe("lazy command loading", () => {
  it("each table entry registers the command of its name, in --help order", async () => {
    const program = new Command();
    await registerCommands(program, memoryIO());
    expect(program.commands.map((c) => c.name())).toEqual(modulesFor(["--help"]));
  });

  it("loads the named command only, none for --version, all for help and typos", () => {
    expect(modulesFor(["--version"])).toEqual([]);
    expect(modulesFor(["-V"])).toEqual([]);
    expect(modulesFor(["limits", "--json"])).toEqual(["limits"]);
    expect(modulesFor(["optimal", "--flops", "1e23"])).toEqual(["optimal"]);
    expect(modulesFor(["curve", "fit", "a.csv"])).toEqual(["curve"]);
    expect(modulesFor(["help", "fit"])).toEqual(["fit"]);
    expect(modulesFor(["--help"]).length).toBeGreaterThan(10);
    expect(modulesFor([])).toEqual(modulesFor(["--help"]));
    expect(modulesFor(["limts"])).toEqual(modulesFor(["--help"]));
    expect(modulesFor(["toString"])).toEqual(modulesFor(["--help"]));
  });

  it("a typo still gets commander's suggestion (every command is loaded for it)", async () => {
    const io = memoryIO();
    expect(await runCli(["limts"], io)).toBe(2);
    expect(io.err).toContain("limits");
  });
});
