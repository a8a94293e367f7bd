// MoE parallel folding (Liu et al. 2025, "MoE Parallel Folding: Heterogeneous Parallelism Mappings for Efficient
// Large-Scale MoE Model Training with Megatron Core", arXiv 2504.14960; Megatron-Core
// `--expert-tensor-parallel-size`, megatron/core/transformer/moe/README.md "MoE Parallel Folding").
//
// Megatron-Core builds the attention's groups in the order tp-cp-dp-pp and the expert layers' in the order
// etp-ep-edp-pp over the same ranks: the expert layers regroup the tp·cp·dp ranks of a pipeline stage as
// expertTp × ep × expert-dp. With expertTp = tp (Megatron's default) this is the classic layout (ep inside dp·cp);
// with expertTp < tp the expert-parallel group also spans the attention's tensor-parallel ranks. What changes
// physically, per MoE layer (the MoEAlltoAllTokenDispatcher: permute → all-to-all over EP → all-gather over
// expert-TP → expert GEMMs → reduce-scatter over expert-TP → all-to-all over EP → unpermute):
//   - each rank enters the MoE layer with its sequence-parallel shard (tokens/tp) and sends its routed copies
//     (tokens/tp · topK rows of h) through the all-to-all: the bytes per rank do not depend on expertTp, but the
//     EP group is strided by expertTp, so it holds ⌊gpusPerNode/expertTp⌋ ranks per scale-up domain;
//   - the routed rows are gathered over expert-TP (expertTp/tp · tokens · topK rows per rank) and each expert GEMM
//     is sharded over expertTp instead of tp: same FLOPs per GPU, wider GEMMs;
//   - each GPU holds routed/(expertTp · ep) expert parameters, whose gradients and optimizer states the
//     distributed optimizer shards over the expert-data-parallel group of tp·cp·dp/(expertTp · ep) ranks;
//   - the sequence-parallel gather before the MLP and the scatter after it (the MLP half of the step model's
//     tensor-parallel collectives) run on the expert-TP group for the routed experts; the shared experts keep the
//     attention's parallelism (Megatron-Core: "the parallelism patterns of the shared experts follow the settings
//     of the dense part"), so with shared experts they stay on the tp group.
//
// Every function below reduces to the unfolded model when expertTp = tp (exactly: test/run/moe-folding.test.ts).

import type { Layout } from "./run-config.ts";

/** Tensor-parallel size of the routed-expert GEMMs (absent = tp). */
export function expertTensorParallel(l: Layout): number {
  return l.expertTp ?? l.tp;
}

/** Ranks of the expert-data-parallel group: the tp·dp·cp ranks of a stage over expertTp × ep. */
export function expertDataParallel(l: Layout): number {
  return ((l.tp / expertTensorParallel(l)) * l.dp * l.cp) / l.ep;
}

/** EP ranks in one scale-up domain of `gpusPerNode`: the expert-parallel group is strided by expertTp. */
export function expertParallelInner(l: Layout, gpusPerNode: number): number {
  return Math.floor(gpusPerNode / expertTensorParallel(l));
}

/** Expert-data-parallel ranks in one scale-up domain (strided by expertTp · ep). */
export function expertDataParallelInner(l: Layout, gpusPerNode: number): number {
  return Math.floor(gpusPerNode / (expertTensorParallel(l) * l.ep));
}

/**
 * Rows of one routed-expert GEMM on one GPU: the `tokens` of a micro-batch (per CP rank) send tokens·topK copies
 * to `experts` experts; an EP rank receives the copies of its experts from the tokens/tp shard of each EP peer,
 * gathered over expert-TP: tokens·topK/experts · ep · expertTp/tp (at least one row).
 */
export function routedExpertRows(l: Layout, tokens: number, topK: number, experts: number): number {
  return Math.max(1, ((tokens * topK) / experts) * l.ep * (expertTensorParallel(l) / l.tp));
}

/**
 * Size of the group over which a MoE layer's sequence-parallel gather/scatter runs: the expert-TP group, or the
 * attention's tp group when shared experts (which keep the dense part's tensor parallelism) need the full
 * sequence too.
 */
export function moeGatherGroupSize(l: Layout, sharedExperts: number): number {
  return sharedExperts > 0 ? l.tp : expertTensorParallel(l);
}
