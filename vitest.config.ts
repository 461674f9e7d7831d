import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    globalSetup: ["tests/setup/global-database.ts"],
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a page or a worker to catch up; a loaded CI machine needs more than the default 1 s.
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
    // Most test files spend their time waiting on PostgreSQL, a browser or the app processes they start, not on
    // their own CPU: two at a time on a 2-core machine (vitest's default there is one).
    maxWorkers: 2,
  },
});
