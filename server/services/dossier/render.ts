import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import type { Block, DocumentLayout } from '../../domain/dossier/documents.js';

/**
 * The two renderers of a document layout (domain/dossier/documents.ts): DOCX with `docx`, PDF with `pdfmake`
 * and the Noto Sans SC subsets of data/fonts (embedded, so Chinese renders on any machine). A4 in the plain
 * style of the ministry's forms: a centred bold title, the number right-aligned, labelled fields and sections,
 * blank signature lines.
 */

/** The part of pdfmake's server build used here (it ships no types; a local interface, not a global module). */
interface PdfMake {
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  createPdf(definition: Record<string, unknown>): { getBuffer(): Promise<Uint8Array> };
}
const pdfmake = createRequire(import.meta.url)('pdfmake') as PdfMake;

const FONT = 'Noto Sans SC';
const NO_DATE = '　　年　　月　　日';

export async function toDocx(layout: DocumentLayout): Promise<Buffer> {
  const run = (text: string, opts: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text, font: FONT, size: opts.size ?? 24, bold: opts.bold ?? false });
  const para = (b: Block): Paragraph[] => {
    switch (b.kind) {
      case 'title':
        return [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [run(b.text, { bold: true, size: 36 })],
          }),
        ];
      case 'number':
        return [new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 240 }, children: [run(b.text)] })];
      case 'field':
        return [
          new Paragraph({ spacing: { after: 120 }, children: [run(`${b.label}：`, { bold: true }), run(b.value)] }),
        ];
      case 'section':
        return [
          new Paragraph({ spacing: { before: 120 }, children: [run(`${b.label}：`, { bold: true })] }),
          new Paragraph({ spacing: { after: 120 }, indent: { firstLine: 480 }, children: [run(b.text)] }),
        ];
      case 'paragraph':
        return [new Paragraph({ spacing: { after: 120 }, children: [run(b.text)] })];
      case 'signatures':
        return b.lines.map((l) => new Paragraph({ spacing: { before: 240 }, children: [run(l)] }));
      case 'date':
        return [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            spacing: { before: 240 },
            children: [run(b.text || NO_DATE)],
          }),
        ];
    }
  };
  const title = layout.blocks.find((b): b is Extract<Block, { kind: 'title' }> => b.kind === 'title')?.text ?? '';
  const doc = new Document({
    creator: 'joint-mediation-risk-map',
    title,
    sections: [{ properties: {}, children: layout.blocks.flatMap(para) }],
  });
  return Packer.toBuffer(doc);
}

let fontsReady = false;
function readyFonts() {
  if (fontsReady) return;
  const dir = fileURLToPath(new URL('../../../data/fonts/', import.meta.url));
  pdfmake.virtualfs.writeFileSync('NotoSansSC-Regular.otf', readFileSync(`${dir}NotoSansSC-Regular.subset.otf`));
  pdfmake.virtualfs.writeFileSync('NotoSansSC-Bold.otf', readFileSync(`${dir}NotoSansSC-Bold.subset.otf`));
  pdfmake.setFonts({
    NotoSansSC: {
      normal: 'NotoSansSC-Regular.otf',
      bold: 'NotoSansSC-Bold.otf',
      italics: 'NotoSansSC-Regular.otf',
      bolditalics: 'NotoSansSC-Bold.otf',
    },
  });
  fontsReady = true;
}

export async function toPdf(layout: DocumentLayout): Promise<Buffer> {
  readyFonts();
  const content = layout.blocks.flatMap((b): Record<string, unknown>[] => {
    switch (b.kind) {
      case 'title':
        return [{ text: b.text, fontSize: 18, bold: true, alignment: 'center', margin: [0, 0, 0, 12] }];
      case 'number':
        return [{ text: b.text, alignment: 'right', margin: [0, 0, 0, 12] }];
      case 'field':
        return [{ text: [{ text: `${b.label}：`, bold: true }, b.value], margin: [0, 0, 0, 6] }];
      case 'section':
        return [
          { text: `${b.label}：`, bold: true, margin: [0, 6, 0, 2] },
          { text: b.text, leadingIndent: 24, margin: [0, 0, 0, 6] },
        ];
      case 'paragraph':
        return [{ text: b.text, margin: [0, 0, 0, 6] }];
      case 'signatures':
        return b.lines.map((l) => ({ text: l, margin: [0, 12, 0, 0] }));
      default:
        return [{ text: b.text || NO_DATE, alignment: 'right', margin: [0, 12, 0, 0] }];
    }
  });
  const doc = pdfmake.createPdf({
    pageSize: 'A4',
    pageMargins: [72, 72, 72, 72],
    defaultStyle: { font: 'NotoSansSC', fontSize: 12, lineHeight: 1.4 },
    info: { title: layout.fileStem, creator: 'joint-mediation-risk-map' },
    content,
  });
  return Buffer.from(await doc.getBuffer());
}
