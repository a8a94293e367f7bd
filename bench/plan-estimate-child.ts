// One fresh process for bench/plan-estimate.bench.ts: the Plan view's default state (H100 × N, 90 days, epoch law,
// dense, seq 8192) planned with onEstimate, printing the first estimate's and the full plan's wall times as JSON.
// With "warm" another GPU count is planned first: the JIT is warm, the layout-search cache is not.
import { makePlan } from "../src/core/plan/make-plan.ts";

const gpus = Number(process.argv[2] ?? 4096);
if (process.argv[3] === "warm") makePlan({ gpu: "h100-sxm", gpus: 1000, days: 90 }, { onEstimate: () => {} });
let estimate = NaN;
const t = performance.now();
const plan = makePlan({ gpu: "h100-sxm", gpus, days: 90 }, { onEstimate: () => (estimate = performance.now() - t) });
console.log(JSON.stringify({ estimate, full: performance.now() - t, model: plan.model.name }));
