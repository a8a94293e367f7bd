// Training-FLOP counts for a sweep: 6·N·D, and the detailed per-sequence count of the Hägele et al. FLOPs notebook
// (epfml/schedules-and-scaling `flops.ipynb`, spec §A.1), which is Chinchilla's Appendix F recipe with a 3-matrix
// SwiGLU MLP.

/** A Llama-style decoder as in Hägele et al. (tied embeddings, SwiGLU, RoPE). */
export interface DecoderArch {
  readonly dModel: number;
  readonly layers: number;
  readonly heads: number;
  /** Padded vocabulary (GPT-2 tokenizer padded to 50304 in the reference). */
  readonly vocab: number;
  readonly seqLen: number;
  /** FFN width f; default 8/3·d rounded up to a multiple of 256 (reference `src/models/llama.py`). */
  readonly ffn?: number;
}

/** SwiGLU hidden size of the reference: 8/3·d rounded up to a multiple of 256. */
export function swigluWidth(dModel: number): number {
  return Math.ceil(((8 / 3) * dModel) / 256) * 256;
}

/**
 * Training FLOPs per token, spec §A.1: forward per sequence of length L with key size k = d/h:
 * embedding 2LVd; logits 2LdV; per layer attention 2·3·L·d·(kh) + 2L²(kh) + 3hL² + 2L²(kh) + 2L(kh)d and dense
 * 2·L·3·d·f; training = 3 × forward; divided by L.
 */
export function detailedFlopsPerToken(a: DecoderArch): number {
  const L = a.seqLen;
  const d = a.dModel;
  const h = a.heads;
  const kh = (d / h) * h;
  const f = a.ffn ?? swigluWidth(d);
  const embedding = 2 * L * a.vocab * d;
  const logits = 2 * L * d * a.vocab;
  const attention = 2 * 3 * L * d * kh + 2 * L * L * kh + 3 * h * L * L + 2 * L * L * kh + 2 * L * kh * d;
  const dense = 2 * L * (3 * d * f);
  const forward = embedding + a.layers * (attention + dense) + logits;
  return (3 * forward) / L;
}
