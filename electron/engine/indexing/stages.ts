// The indexing pipeline's stages, in the order a batch of frames goes through them. This list is the
// one place that names them: per-stage timing (StageTimes), the benchmark's stage line and
// docs/architecture.md ("Adding a stage or a model") all follow it.
export const STAGES = [
  { name: 'decode', label: 'decode-wait', code: 'video/sampler.ts', does: 'ffmpeg decodes and samples frames at 1/fps ticks (time spent waiting for the next frame)' },
  { name: 'gate', label: 'gate', code: 'indexing/motionGate.ts', does: 'motion gating: a 64×36 grey grid against the previous sampled frame decides whether the detector (and all after it) sees the frame' },
  { name: 'detect', label: 'detect', code: 'vision/detector.ts, indexing/personFilter.ts', does: 'person detector (NanoDet ONNX) on a batch of frames; boxes that do not look like people dropped' },
  { name: 'embed', label: 'crop+embed', code: 'vision/crop.ts, vision/ivt.ts', does: 'crops of each person, IVT image encoder (each member of an ensemble such as ivt-ensemble-v1, one vector each) → unit vectors; a member built on the ReID trunk (IVT 2.0) runs only its head on the reid pass\'s feature map when the IVT and ReID crops are one box (thumbnail.ts CROPS_AGREE)' },
  { name: 'reid', label: 'reid', code: 'vision/reid.ts', does: 'the same crops, person re-identification network → appearance vectors (tracking, same person)' },
  { name: 'attributes', label: 'attributes', code: 'vision/attributes.ts, vision/evidence.ts', does: 'attribute network on each crop + upper/lower garment colours read from regions (evidence for fused search)' },
  { name: 'track', label: 'track', code: 'indexing/tracker.ts', does: 'detections associated by motion + ReID appearance into tracks (= sightings)' },
  { name: 'database', label: 'db', code: 'indexing/store.ts', does: 'one SQLite transaction per batch: detections, embeddings, ReID vectors, evidence, sightings, resume point' },
] as const;

export type StageName = (typeof STAGES)[number]['name'];

/** Wall-clock seconds spent in each stage. */
export type StageTimes = Record<StageName, number>;

export function newStageTimes(): StageTimes {
  return Object.fromEntries(STAGES.map((s) => [s.name, 0])) as StageTimes;
}

/**
 * Adds the time since the previous mark to a stage. Without `times` it does nothing (indexing
 * outside a benchmark pays no clock reads).
 */
export class StageClock {
  private last = 0n;

  constructor(private readonly times: StageTimes | undefined) {
    this.restart();
  }

  /** Starts timing from now (time before this counts to no stage). */
  restart(): void {
    if (this.times) this.last = process.hrtime.bigint();
  }

  /** Charges the time since the previous mark to `stage`, and starts timing the next one. */
  lap(stage: StageName): void {
    if (!this.times) return;
    const now = process.hrtime.bigint();
    this.times[stage] += Number(now - this.last) / 1e9;
    this.last = now;
  }
}

/** "decode-wait 1.2 detect 3.4 …": the stage times in pipeline order, for benchmark output. */
export function formatStageTimes(times: StageTimes, digits = 1): string {
  return STAGES.map((s) => `${s.label} ${times[s.name].toFixed(digits)}`).join(' ');
}
