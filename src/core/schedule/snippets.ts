// Ready-to-paste code for a schedule: a PyTorch LambdaLR lambda and, where one exists, the equivalent flags of the
// reference trainer (epfml/schedules-and-scaling `src/main.py`: --scheduler, --iterations, --warmup_steps, --lr,
// --wsd_fract_decay, --decay_type, --wsd_final_lr_scale).
import type { Schedule } from "./types.ts";

const PY_SHAPE: Record<string, string> = {
  linear: "1 - t",
  sqrt: "1 - math.sqrt(t)",
  cosine: "0.5 * (1 + math.cos(math.pi * t))",
  square: "1 - t * t",
  "mirror-cosine": "2 * (1 - t) - 0.5 * (1 + math.cos(math.pi * t))",
};

function pyNum(v: number): string {
  return Number.isInteger(v) ? `${v}` : `${v}`;
}

/** Python source defining `lr_lambda(step)` and the LambdaLR line; the optimizer's lr must be the peak. */
export function pytorchLambdaSnippet(s: Schedule): string {
  const lines = ["import math", "import torch", ""];
  lines.push(`# scaleplan schedule (${s.kind}); create the optimizer with lr=${pyNum(s.peak)} (the peak)`);
  lines.push("def lr_lambda(step):");
  if (s.kind === "onecycle") {
    return [
      "import torch",
      "",
      `# scaleplan schedule (onecycle): the reference cosine baseline is PyTorch's own OneCycleLR`,
      "scheduler = torch.optim.lr_scheduler.OneCycleLR(",
      `    optimizer, max_lr=${pyNum(s.peak)}, total_steps=${s.steps}, pct_start=${s.warmupSteps}/${s.steps},`,
      `    anneal_strategy="${s.anneal}", cycle_momentum=False, div_factor=${pyNum(s.divFactor)},`,
      `    final_div_factor=${pyNum(Number((1 / s.divFactor / s.final).toPrecision(12)))})`,
      "",
    ].join("\n");
  }
  if (s.kind === "table") {
    lines.push(`    points = ${JSON.stringify(s.points.map((p) => [p.step, p.lr / s.peak]))}`);
    lines.push("    if step <= points[0][0]: return points[0][1]");
    lines.push("    for (s0, f0), (s1, f1) in zip(points, points[1:]):");
    lines.push("        if step <= s1: return f0 + (f1 - f0) * (step - s0) / (s1 - s0)");
    lines.push("    return points[-1][1]");
  } else {
    const w = s.warmup;
    if (w.steps > 0) {
      lines.push(`    if step < ${w.steps}:`);
      if (w.shape === "linear") lines.push(`        return step / ${w.steps} + (1 - step / ${w.steps}) * ${pyNum(w.from)}`);
      else lines.push(`        return ${pyNum(w.from)} + (1 - ${pyNum(w.from)}) * step / ${Math.max(1, w.steps - 1)}`);
    }
    switch (s.kind) {
      case "constant":
        lines.push("    return 1.0");
        break;
      case "wsd": {
        const hold = s.steps - s.cooldownSteps;
        lines.push(`    if step < ${hold}:`, "        return 1.0");
        lines.push(`    if step >= ${s.steps}:`, `        return ${pyNum(s.final)}`);
        lines.push(`    t = (step - ${hold}) / ${s.cooldownSteps}`);
        if (s.shape === "exp") lines.push(`    return ${pyNum(s.final)} ** t`);
        else lines.push(`    return ${pyNum(s.final)} + (1 - ${pyNum(s.final)}) * (${PY_SHAPE[s.shape]})`);
        break;
      }
      case "cosine":
      case "cos-inf": {
        const end = s.kind === "cosine" ? s.steps : s.steps - s.constantSteps;
        lines.push(`    if step >= ${end}:`, `        return ${pyNum(s.final)}`);
        lines.push(`    t = (step - ${w.steps}) / ${end - w.steps}`);
        lines.push(`    return ${pyNum(s.final)} + 0.5 * (1 - ${pyNum(s.final)}) * (1 + math.cos(math.pi * t))`);
        break;
      }
      case "multistep":
        for (const m of [...s.milestones].reverse()) lines.push(`    if step >= ${m.step}:`, `        return ${pyNum(m.factor)}`);
        lines.push("    return 1.0");
        break;
    }
  }
  lines.push("", "scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)", "");
  return lines.join("\n");
}

/**
 * Flags for epfml/schedules-and-scaling (`src/main.py`) when the schedule is one it implements with the same
 * semantics: wsd with the 1 %→100 % warmup and a cooldown that is int(f·n) for some f; cos/linear OneCycle with
 * div 100 and final 0.1. Otherwise undefined, with the reason.
 */
export function referenceTrainerFlags(s: Schedule): { flags?: string; reason?: string } {
  if (s.kind === "onecycle") {
    if (s.divFactor !== 100 || Math.abs(s.final - 0.1) > 1e-12) return { reason: "the reference hard-codes div_factor=100, final_div_factor=0.1" };
    return { flags: `--scheduler ${s.anneal === "cos" ? "cos" : "linear"} --iterations ${s.steps} --warmup_steps ${s.warmupSteps} --lr ${s.peak}` };
  }
  if (s.kind === "wsd") {
    if (s.warmup.shape !== "linear" || Math.abs(s.warmup.from - 0.01) > 1e-12) return { reason: "the reference warmup is linear from 1 % (init_div_factor=100)" };
    const frac = s.cooldownSteps / s.steps;
    if (Math.floor(frac * s.steps) !== s.cooldownSteps) return { reason: `no fraction f gives int(f·${s.steps}) = ${s.cooldownSteps}` };
    const type = s.shape === "mirror-cosine" ? "miror_cosine" : s.shape;
    return {
      flags: `--scheduler wsd --iterations ${s.steps} --warmup_steps ${s.warmup.steps} --lr ${s.peak} --wsd_fract_decay ${frac} --decay_type ${type} --wsd_final_lr_scale ${s.final}`,
    };
  }
  return { reason: `the reference trainer has no ${s.kind} schedule with these semantics` };
}
