/**
 * The briefing's map as SVG (pdfmake draws SVG): the units' outlines, the period's hot-spot hexagons and the
 * open red / orange cases, in an equirectangular projection scaled by cos(latitude) at the centre — over a
 * county (~80 km) the distortion against a conformal projection is below the page's resolution. No text in the
 * SVG: labels and the legend are set by pdfmake in the embedded CJK font.
 */
type Position = [number, number];
export interface MapShape {
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
  /** Fill by a value from 0 (none) to 1 (the most): the choropleth of cases found. */
  shade?: number;
  highlight?: boolean;
}
export interface MapInput {
  width: number;
  height: number;
  shapes: MapShape[];
  /** Hexagon rings [lon, lat] with their confidence bin (1…3: 90 / 95 / 99 %). */
  hot: { ring: Position[]; bin: number }[];
  points: { lon: number; lat: number; riskLevel: 'red' | 'orange' }[];
}

export const HOT_COLOURS: Record<number, string> = { 1: '#fca5a5', 2: '#ef4444', 3: '#b91c1c' };
export const RISK_COLOURS = { red: '#dc2626', orange: '#f97316' } as const;

function rings(s: MapShape): Position[][] {
  return s.geometry.type === 'Polygon' ? s.geometry.coordinates : s.geometry.coordinates.flat();
}

export function projector(shapes: readonly MapShape[], width: number, height: number, margin = 6) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const s of shapes) {
    for (const ring of rings(s)) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (!Number.isFinite(minX)) return (p: Position): Position => [width / 2 + 0 * p[0], height / 2];
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  return ([lon, lat]: Position): Position => [offX + (lon - minX) * k * scale, offY + (maxY - lat) * scale];
}

const f = (n: number) => n.toFixed(1);

export function mapSvg(m: MapInput): string {
  const project = projector(m.shapes, m.width, m.height);
  const path = (ring: Position[]) =>
    `M${ring
      .map(project)
      .map(([x, y]) => `${f(x)},${f(y)}`)
      .join('L')}Z`;
  const parts: string[] = [];
  for (const s of m.shapes) {
    const shade = Math.max(0, Math.min(1, s.shade ?? 0));
    // From near white to a muted blue-grey, so that red hot spots and markers stand out.
    const light = Math.round(246 - shade * 70);
    const fill = `rgb(${light},${Math.round(light + shade * 8)},${Math.round(250 - shade * 30)})`;
    parts.push(
      `<path d="${rings(s).map(path).join('')}" fill="${fill}" stroke="${s.highlight ? '#111827' : '#6b7280'}" stroke-width="${s.highlight ? 1.2 : 0.6}" fill-rule="evenodd"/>`,
    );
  }
  for (const h of m.hot) {
    parts.push(
      `<path d="${path(h.ring)}" fill="${HOT_COLOURS[h.bin] ?? HOT_COLOURS[1]}" fill-opacity="0.75" stroke="none"/>`,
    );
  }
  for (const p of m.points) {
    const [x, y] = project([p.lon, p.lat]);
    parts.push(
      `<circle cx="${f(x)}" cy="${f(y)}" r="2.2" fill="${RISK_COLOURS[p.riskLevel]}" stroke="#ffffff" stroke-width="0.5"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${m.width}" height="${m.height}" viewBox="0 0 ${m.width} ${m.height}">${parts.join('')}</svg>`;
}
