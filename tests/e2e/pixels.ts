/** Pixel statistics of a screenshot, to check what the map drew without trusting the DOM. Pure. */
import { PNG } from 'pngjs';

export type Rgb = [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)];
}

export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodePng(buffer: Buffer): DecodedImage {
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: png.data };
}

/** Number of opaque pixels within `tolerance` (Euclidean RGB distance) of each colour. */
export function countNear(
  image: DecodedImage,
  colours: Record<string, Rgb>,
  tolerance: number,
): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const entries = Object.entries(colours);
  const limit = tolerance * tolerance;
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    for (const [name, [cr, cg, cb]] of entries) {
      const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
      if (d <= limit) counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

/** How many distinct colours (quantised to 5 bits a channel) the image holds: a blank canvas has one or two. */
export function distinctColours(image: DecodedImage): number {
  const seen = new Set<number>();
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    seen.add((((data[i] ?? 0) >> 3) << 10) | (((data[i + 1] ?? 0) >> 3) << 5) | ((data[i + 2] ?? 0) >> 3));
  }
  return seen.size;
}
