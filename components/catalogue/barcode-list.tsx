'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import { fieldAria } from '@/components/ui/field';
import { BARCODE_KINDS } from '@/lib/contracts/catalog';
import { parseScan } from '@/lib/scan';

// A product's barcodes as a list: a scanner types a code and Enter (or Tab) into the field, which adds it instead
// of sending the form; a misread (wrong check digit) is said at once. The list goes to the server as one field.
export function BarcodeList({ initial, errors }: { initial: string[]; errors?: string[] }) {
  const [codes, setCodes] = useState(initial);
  const [draft, setDraft] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const id = useId();
  const shown = local ? [local] : errors;

  const add = () => {
    const scan = parseScan(draft);
    if (!scan.code) return;
    if (!scan.gtin) {
      setLocal(scan.badCheckDigit ? `${scan.code}: the check digit is wrong; scan it again` : `${scan.code} is not an ${BARCODE_KINDS}`);
      return;
    }
    setLocal(null);
    setCodes((c) => (c.some((x) => parseScan(x).gtin === scan.gtin) ? c : [...c, scan.code]));
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || (e.key === 'Tab' && draft)) {
      e.preventDefault();
      add();
    }
  };

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        Barcodes
      </label>
      <input type="hidden" name="barcodes" value={codes.join(' ')} />
      <ul aria-label="Barcodes of this product" className="mb-2 flex flex-wrap gap-2">
        {codes.map((c) => (
          <li key={c} className="flex items-center gap-1 rounded-md bg-slate-100 px-2 py-1 font-mono text-sm">
            {c}
            <button type="button" aria-label={`Remove ${c}`} onClick={() => setCodes((x) => x.filter((y) => y !== c))} className="min-h-8 min-w-8 rounded text-slate-600 hover:bg-slate-200">
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="flex gap-2">
        <input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          inputMode="numeric"
          autoComplete="off"
          placeholder="Scan or type, then Enter"
          {...fieldAria(id, shown, `${BARCODE_KINDS}; the check digit is checked.`)}
          className="block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-base shadow-sm aria-invalid:border-red-500"
        />
        <button type="button" onClick={add} className="min-h-11 rounded-md border border-slate-300 px-3 text-sm">
          Add
        </button>
      </div>
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {BARCODE_KINDS}; the check digit is checked.
      </p>
      {shown?.length ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {shown[0]}
        </p>
      ) : null}
    </div>
  );
}
