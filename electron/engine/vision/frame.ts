// A decoded video frame as the pipeline passes it around: packed RGB24, row-major.
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}
