/**
 * `npm run bench`: runs every bench/*.bench.ts (or the ones named: `npm run bench -- intake`) one after
 * another, each in its own process, and prints their figures and how long each took. Benchmarks measure; they
 * never fail on time. Each file's header lists its knobs (environment variables); the defaults took 35–45 minutes
 * on the 2-core development machine (docs/benchmarks.md); the 1,000,000-customer scale run is opt-in (SCALE_SIZES).
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
  const started = performance.now();
  const run = spawnSync("node_modules/.bin/tsx", [`bench/${file}`], { stdio: "inherit" });
  console.log(`=== ${file}: ${run.status === 0 ? "done" : "did not complete"} in ${Math.round((performance.now() - started) / 1000)} s`);
  if (run.status !== 0) failed += 1;
}
if (failed) {
  console.error(`${failed} benchmark(s) did not complete`);
  process.exit(1);
}
