// A sighting's thumbnail: the crop of its best detection (the box the networks saw, margin included),
// 160 px tall, as PNG. Made here for both backends: by the indexer from the frame in hand, and by a
// team case's stitch pass from the frame decoded again at the sighting's best time.
import type { BBox } from '../contract';
import { clipBox, cropToImage } from '../vision/crop';
import type { RgbImage } from '../vision/frame';
import { encodePng } from '../vision/png';
import type { Frame } from '../video/sampler';

export const THUMB_HEIGHT = 160;
/** Margin around a detection in the crops the networks see (and the thumbnail shows). */
export const CROP_MARGIN = 0.05;
/** Margin of the ReID network's crop: none, the detector's box itself, as the network was trained on. */
export const REID_CROP_MARGIN: number = 0;
/**
 * Whether the IVT crop and the ReID crop are one box. Only then does an IVT member built on the ReID
 * network's trunk (IvtManifest.image.sharedTrunk: IVT 2.0) run on the ReID pass's feature map and keep
 * its id@version: on the same crop the shared path equals its whole encoder to 1e-6; on the two crops
 * indexing cuts today its vectors differ (cosine down to 0.84 on vtest.avi, test/bench/shared-trunk.ts).
 */
export const CROPS_AGREE = CROP_MARGIN === REID_CROP_MARGIN;

/** The crop box (frame pixels, margin included, clipped) of a detection box given in frame pixels. */
export function cropBox(frame: RgbImage, frameBox: BBox): BBox {
  return clipBox(frameBox, frame.width, frame.height, CROP_MARGIN);
}

/** PNG of a crop box of the frame. */
export function thumbnailPng(frame: RgbImage, box: BBox): Buffer {
  return encodePng(cropToImage(frame, box, THUMB_HEIGHT));
}

/** PNG of a detection stored in source-video pixels, cut from a sampled frame of that video. */
export function thumbnailOfSource(frame: Frame, source: BBox): Buffer {
  return thumbnailPng(frame, cropBox(frame, source.map((x) => x * frame.scale) as BBox));
}
