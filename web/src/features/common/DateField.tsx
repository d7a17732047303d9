import { type InputHTMLAttributes, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseWrittenDay } from '../../../../server/contract/dates';
import './date-field.css';

type Passed = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'min' | 'max'>;

/**
 * A calendar day typed as the county writes it (2023-05-17, 2023/5/17, 2023年5月17日) or picked in the browser's
 * calendar (the button). Shown as 年-月-日 whatever the operating system's locale; `onChange` gets the ISO day, or
 * '' when cleared. A text that names no day, or a day before `min` / after `max`, stays on screen, marked and
 * refused by the form with a message that says which.
 */
export function DateField({
  value,
  onChange,
  min,
  max,
  ...input
}: Passed & { value: string; onChange: (day: string) => void; min?: string; max?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  // Marked once the field is left with a text naming no day (not while it is being typed).
  const [left, setLeft] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const native = useRef<HTMLInputElement>(null);
  // A new value from outside (a reset, the URL, the picker) replaces what is typed.
  useEffect(() => setText((now) => (parseWrittenDay(now) === value ? now : value)), [value]);
  // What is wrong with a text, in the words the form shows: not a day, or a day outside min / max.
  const problem = (next: string): string => {
    if (next.trim() === '') return '';
    const day = parseWrittenDay(next);
    if (day === null) return t('date.invalid');
    if (min !== undefined && day < min) return t('date.beforeMin', { min });
    if (max !== undefined && day > max) return t('date.afterMax', { max });
    return '';
  };
  const take = (next: string) => {
    setText(next);
    const day = parseWrittenDay(next);
    const wrong = problem(next);
    field.current?.setCustomValidity(wrong);
    if (next.trim() === '') onChange('');
    else if (!wrong && day !== null) onChange(day);
  };
  return (
    <span className="date-field">
      <input
        {...input}
        ref={field}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        value={text}
        aria-invalid={left && problem(text) !== '' ? true : undefined}
        onChange={(e) => take(e.target.value)}
        onBlur={(e) => {
          const day = parseWrittenDay(text);
          if (day !== null && day !== text) setText(day);
          setLeft(true);
          input.onBlur?.(e);
        }}
      />
      <button
        type="button"
        className="date-field__pick"
        aria-label={t('date.pick')}
        title={t('date.pick')}
        disabled={input.disabled}
        onClick={() => native.current?.showPicker?.()}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" />
        </svg>
      </button>
      {/* The browser's calendar, opened by the button; never focused or read by assistive technology itself. */}
      <input
        ref={native}
        type="date"
        className="date-field__native"
        tabIndex={-1}
        aria-hidden="true"
        value={parseWrittenDay(text) ?? ''}
        min={min}
        max={max}
        onChange={(e) => take(e.target.value)}
      />
    </span>
  );
}
