import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The exhaustive layout searches are CPU-bound; generous limits keep a loaded 2-core CI machine from flaking.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
