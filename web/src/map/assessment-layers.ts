import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

/** The assessment's choropleth: each town's score in fixed bands (考核 reads in bands of ten), unranked grey. */
export const ASM = { source: 'asm-data', fill: 'asm-fill', line: 'asm-line' } as const;

export const SCORE_BANDS = [60, 70, 80, 90] as const;
/** Light → dark green: higher scores read darker. Far from the risk and station colours. */
export const SCORE_RAMP = ['#f7fcf5', '#c7e9c0', '#74c476', '#31a354', '#006d2c'] as const;
export const UNRANKED_FILL = '#d6d3d1';

export function scoreLayers(): LayerSpecification[] {
  const step = [
    'step',
    ['get', 'score'],
    SCORE_RAMP[0],
    ...SCORE_BANDS.flatMap((b, i) => [b, SCORE_RAMP[i + 1] as string]),
  ] as unknown as ExpressionSpecification;
  return [
    {
      id: ASM.fill,
      type: 'fill',
      source: ASM.source,
      paint: {
        'fill-color': [
          'case',
          ['all', ['get', 'ranked'], ['==', ['typeof', ['get', 'score']], 'number']],
          step,
          UNRANKED_FILL,
        ],
        'fill-opacity': 0.85,
      },
    },
    { id: ASM.line, type: 'line', source: ASM.source, paint: { 'line-color': '#ffffff', 'line-width': 0.8 } },
  ];
}
