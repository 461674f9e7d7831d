/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named: `npm run bench -- intake`) one after
 * another, each in its own process, and prints their figures. Benchmarks measure; they never fail on time.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const wanted = process.argv.slice(2);
const files = readdirSync("bench")
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync("node_modules/.bin/tsx", [`bench/${file}`], { stdio: "inherit" });
  if (run.status !== 0) failed += 1;
}
if (failed) {
  console.error(`${failed} benchmark(s) did not complete`);
  process.exit(1);
}
