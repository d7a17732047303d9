import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchUploadProgress,
  type ReportLine,
  recentBatchesQuery,
  UPLOAD_TEMPLATES,
  type UploadBatch,
  type UploadProgress,
  uploadMutation,
  uploadReportUrl,
  uploadTemplateUrl,
} from '../../api/uploads';
import { isReasonCode } from '../../i18n/labels';
import { QueryBoundary } from '../common/QueryBoundary';
import './uploads.css';

const CRS = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'processing'; progress: UploadProgress | null }
  | { kind: 'done'; batch: UploadBatch }
  | { kind: 'failed'; message: string };

/** The bulk upload page (/upload): file, coordinate system, mode; upload and processing progress; the report. */
export function UploadPage() {
  const { t, i18n } = useTranslation();
  const upload = useMutation(uploadMutation(useQueryClient()));
  const [crs, setCrs] = useState<(typeof CRS)[number]>('wgs84');
  const [mode, setMode] = useState<'partial' | 'all_or_nothing'>('partial');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  // One key per chosen file: pressing "upload" again after a dropped connection re-sends the same batch.
  const key = useRef<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    key.current ??= crypto.randomUUID();
    const idempotencyKey = key.current;
    let polling = false;
    const poll = async () => {
      while (polling) {
        const progress = await fetchUploadProgress(idempotencyKey).catch(() => null);
        if (polling) setPhase({ kind: 'processing', progress });
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    setPhase({ kind: 'uploading', fraction: 0 });
    try {
      const batch = await upload.mutateAsync({
        file,
        crs,
        mode,
        idempotencyKey,
        onUploadProgress: (fraction) => setPhase({ kind: 'uploading', fraction }),
        onUploaded: () => {
          polling = true;
          setPhase({ kind: 'processing', progress: null });
          void poll();
        },
      });
      polling = false;
      setPhase({ kind: 'done', batch });
    } catch (err) {
      polling = false;
      const message = err instanceof Error && err.message !== 'network' ? err.message : t('uploads.network');
      setPhase({ kind: 'failed', message });
    }
  }

  return (
    <div className="upload-page" lang={i18n.language}>
      <header className="upload-page__header">
        <h1>{t('uploads.pageTitle')}</h1>
        <nav className="upload-templates">
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {i18n.language === 'en' ? '中文' : 'English'}
          </button>
          <a href="/?view=screenings">{t('uploads.backToMap')}</a>
        </nav>
      </header>
      <main className="upload-page__body">
        <section className="panel">
          <p className="panel__hint">{t('uploads.intro')}</p>
          <div className="upload-templates">
            <strong>{t('uploads.templates')}</strong>
            {UPLOAD_TEMPLATES.map((name) => (
              <a key={name} href={uploadTemplateUrl(name)} download={name}>
                {name}
              </a>
            ))}
          </div>
        </section>
        <form className="panel upload-form" onSubmit={submit} data-testid="upload-form">
          <label>
            {t('uploads.file')}
            <input
              ref={fileInput}
              type="file"
              accept=".csv,.txt,.xlsx,.geojson,.json"
              data-testid="upload-file"
              onChange={() => {
                key.current = null;
                setPhase({ kind: 'idle' });
              }}
            />
          </label>
          <label>
            {t('uploads.crs')}
            <select
              value={crs}
              onChange={(e) => setCrs(e.target.value as (typeof CRS)[number])}
              data-testid="upload-crs"
            >
              {CRS.map((c) => (
                <option key={c} value={c}>
                  {t(`uploads.crsOption.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('uploads.mode')}
            <select value={mode} onChange={(e) => setMode(e.target.value as 'partial' | 'all_or_nothing')}>
              <option value="partial">{t('uploads.modePartial')}</option>
              <option value="all_or_nothing">{t('uploads.modeAll')}</option>
            </select>
          </label>
          <button
            type="submit"
            className="button"
            data-testid="upload-submit"
            disabled={phase.kind === 'uploading' || phase.kind === 'processing'}
          >
            {t('uploads.submit')}
          </button>
        </form>
        <Progress phase={phase} />
        {phase.kind === 'done' ? <BatchResult batch={phase.batch} /> : null}
        {phase.kind === 'failed' ? (
          <div className="query-error" role="alert" data-testid="upload-error">
            {t('uploads.failed', { message: phase.message })}
          </div>
        ) : null}
        <RecentBatches />
      </main>
    </div>
  );
}

function Progress({ phase }: { phase: Phase }) {
  const { t } = useTranslation();
  if (phase.kind !== 'uploading' && phase.kind !== 'processing') return null;
  const uploading = phase.kind === 'uploading';
  const p = phase.kind === 'processing' ? phase.progress : null;
  const fraction = uploading ? phase.fraction : p && p.total > 0 ? p.done / p.total : 0;
  const label = uploading
    ? t('uploads.uploading', { percent: Math.round(phase.fraction * 100) })
    : `${t('uploads.processing')}${p ? ` · ${t(`uploads.stage.${p.stage}`, { done: p.done, total: p.total })}` : '…'}`;
  return (
    <section className="panel upload-progress" data-testid="upload-progress" aria-live="polite">
      <span>{label}</span>
      <div
        className="upload-progress__track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div
          className={`upload-progress__fill${uploading ? '' : ' upload-progress__fill--processing'}`}
          style={{ width: `${Math.max(3, Math.round(fraction * 100))}%` }}
        />
      </div>
    </section>
  );
}

function BatchResult({ batch }: { batch: UploadBatch }) {
  const { t, i18n } = useTranslation();
  // A reason in the page's language by its code; lines stored before codes existed keep their English message.
  const reasonText = (r: ReportLine) =>
    isReasonCode(r.code) ? t(`uploads.reasons.${r.code}`, r.params ?? {}) : r.reason;
  const report = batch.report ?? [];
  // The title says what happened: refused as a whole, nothing storable, stored in part, or stored.
  const outcome =
    batch.status === 'rejected'
      ? 'rejected'
      : batch.rowsAccepted === 0 && batch.rowsRejected > 0
        ? 'none'
        : batch.rowsRejected > 0
          ? 'partial'
          : 'stored';
  const title = {
    rejected: 'uploads.resultRejected',
    none: 'uploads.resultNone',
    partial: 'uploads.resultPartial',
    stored: 'uploads.resultStored',
  } as const;
  return (
    <section className={`panel upload-result--${outcome}`} data-testid="upload-result" data-outcome={outcome}>
      <h2 className="panel__title">
        {t(title[outcome], { id: batch.id, accepted: batch.rowsAccepted, rejected: batch.rowsRejected })}
      </h2>
      {batch.replayed ? <p className="panel__hint">{t('uploads.replayed')}</p> : null}
      <div className="upload-counts">
        <div>
          {t('uploads.total')}
          <strong data-testid="count-total">{batch.rowsTotal}</strong>
        </div>
        <div>
          {t('uploads.accepted')}
          <strong data-testid="count-accepted">{batch.rowsAccepted}</strong>
        </div>
        <div>
          {t('uploads.rejected')}
          <strong data-testid="count-rejected">{batch.rowsRejected}</strong>
        </div>
        <div>
          {t('uploads.duplicate')}
          <strong>{batch.rowsDuplicate}</strong>
        </div>
        <div>
          {t('uploads.encoding')}
          <strong data-testid="batch-encoding">{batch.encoding ?? '—'}</strong>
        </div>
      </div>
      <p className="upload-templates">
        <a href={uploadReportUrl(batch.id, i18n.language)} data-testid="download-report">
          {t('uploads.downloadReport')}
        </a>
        {batch.rowsAccepted > 0 ? (
          <a href={`/?view=screenings&batch=${batch.id}`} data-testid="show-on-map">
            {t('uploads.showOnMap')}
          </a>
        ) : null}
      </p>
      <h3 className="panel__title">{t('uploads.report')}</h3>
      {report.length === 0 ? (
        <p className="muted">{t('uploads.reportEmpty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="report-table" data-testid="upload-report">
            <thead>
              <tr>
                <th>{t('uploads.row')}</th>
                <th>{t('uploads.field')}</th>
                <th>{t('uploads.severity')}</th>
                <th>{t('uploads.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.slice(0, 500).map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: report lines never reorder
                <tr key={i}>
                  <td>{r.row}</td>
                  <td>{r.field}</td>
                  <td>
                    <span className={`sev sev--${r.severity}`}>{t(`uploads.${r.severity}`)}</span>
                  </td>
                  <td>{reasonText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RecentBatches() {
  const { t, i18n } = useTranslation();
  const q = useQuery(recentBatchesQuery());
  return (
    <section className="panel">
      <h2 className="panel__title">{t('uploads.recent')}</h2>
      <QueryBoundary
        query={q}
        lines={2}
        isEmpty={(d) => d.length === 0}
        empty={<p className="muted">{t('uploads.recentEmpty')}</p>}
      >
        {(batches) => (
          <div className="table-scroll">
            <table className="report-table">
              <tbody>
                {batches.map((b) => (
                  <tr key={b.id}>
                    <td>#{b.id}</td>
                    <td>{b.fileName ?? b.format}</td>
                    <td>{b.uploadedBy}</td>
                    <td>{new Date(b.uploadedAt).toLocaleString(i18n.language)}</td>
                    <td>
                      {b.rowsAccepted} / {b.rowsTotal}
                    </td>
                    <td>
                      <a href={uploadReportUrl(b.id, i18n.language)}>{t('uploads.report')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryBoundary>
    </section>
  );
}
