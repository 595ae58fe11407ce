'use client';

import type { MouseEvent } from 'react';
import { fieldAria } from '@/components/ui/field';

type Props = {
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors?: string[];
  id?: string;
  // Negative figures (an adjustment's change) get a ± key.
  signed?: boolean;
};

const keep = (e: MouseEvent) => e.preventDefault(); // a tap on a key must not take focus from the scan field

// A quantity: typed in its field, or tapped on big keys. The field is a real input, so it is labelled and its
// error is tied to it; the keys are a convenience for gloves and tablets.
export function Numpad({ label, value, onChange, errors, id = 'numpad-qty', signed = false }: Props) {
  const press = (k: string) => {
    if (k === '⌫') onChange(value.slice(0, -1));
    else if (k === 'C') onChange('');
    else if (k === '±') onChange(value.startsWith('-') ? value.slice(1) : `-${value}`);
    else onChange(value === '0' ? k : `${value}${k}`.slice(0, 7));
  };
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', signed ? '±' : 'C', '0', '⌫'];
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(signed ? /[^\d-]/g : /\D/g, '').slice(0, 8))}
        inputMode="numeric"
        autoComplete="off"
        {...fieldAria(id, errors)}
        className="block min-h-12 w-full rounded-md border border-slate-300 bg-white px-3 text-2xl tabular-nums aria-invalid:border-red-500"
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors[0]}
        </p>
      ) : null}
      <div className="grid grid-cols-3 gap-2" role="group" aria-label={`${label} keypad`}>
        {keys.map((k) => (
          <button
            key={k}
            type="button"
            tabIndex={-1}
            onMouseDown={keep}
            onClick={() => press(k)}
            aria-label={k === '⌫' ? 'Delete last digit' : k === 'C' ? 'Clear' : k === '±' ? 'Change sign' : k}
            className="min-h-12 rounded-lg border border-slate-300 bg-white text-xl font-medium tabular-nums hover:bg-slate-50"
          >
            {k}
          </button>
        ))}
      </div>
    </div>
  );
}
