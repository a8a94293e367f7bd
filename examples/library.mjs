// scaleplan as a library (the browser-safe core; the CLI and the web app call the same functions).
// Run it from a clone after `npm ci` (which builds dist/), or wherever scaleplan is installed: node examples/library.mjs
import { hardware, limits, plan, run, scaling, schedule } from "scaleplan";

// How far does H100 training scale before data movement caps utilization? (Erdil & Schneider-Joseph 2024)
const { summary } = limits.runSweep({ gpu: hardware.requireDataMovementGpu("h100-sxm", "gpu") });
console.log("linear scaling ends at", summary.linearScalingEnd.toExponential(3), "FLOP");

// What should 5.76e23 FLOP train under the Besiroglu et al. (Epoch) replication of Chinchilla?
const allocation = scaling.allocate(scaling.findPreset("epoch"), 5.76e23);
console.log("N", allocation.n.toExponential(3), "D", allocation.d.toExponential(3), "loss", allocation.loss.toFixed(4));

// The learning rate of a WSD schedule at step 900.
const wsd = schedule.parseScheduleSpec("wsd:steps=1000,warmup=100,cooldown=0.2,shape=sqrt,peak=1e-3");
console.log("lr at step 900", schedule.scheduleLr(wsd, 900));

// Step time, MFU and memory of GPT-3 175B on 1,024 H100 (a run config as in docs/run-config.md).
const config = run.parseRunConfig(`
model: { layers: 96, hidden: 12288, heads: 96, ffn: 49152, vocab: 51200, seqLen: 2048 }
hardware: { gpu: h100-sxm, count: 1024 }
parallelism: { tp: 8, pp: 8, vp: 3, zero: 1, recompute: selective, pipelineSchedule: interleaved-1f1b }
training: { globalBatch: 1536, precision: bf16 }
`, "gpt3.yaml");
const step = run.predictStep(config);
console.log("step", step.stepTimeSeconds.toFixed(3), "s, MFU", (100 * step.mfu).toFixed(1), "%, fits", step.fitsInMemory);

// One answer for a cluster and a deadline: what to train on 4,096 H100 for 90 days, its loss and cost (scaleplan plan).
const p = plan.makePlan({ gpu: "h100-sxm", gpus: 4096, days: 90 });
console.log("plan", p.model.name, "tokens", p.tokens.toExponential(2), "loss", p.loss.predicted.toFixed(3), "MFU", p.step?.mfu.toFixed(3));
