'use client';

import { useEffect, useState } from 'react';

const KEY = 'onhand.warehouse';

// The warehouse this device works in: bin scans are read within it. Remembered per device.
export function useWarehouse(codes: string[]) {
  const [warehouse, setWarehouse] = useState(codes[0] ?? '');
  useEffect(() => {
    const stored = localStorage.getItem(KEY);
    if (stored && codes.includes(stored)) setWarehouse(stored);
  }, [codes]);
  const choose = (code: string) => {
    setWarehouse(code);
    localStorage.setItem(KEY, code);
  };
  return [warehouse, choose] as const;
}

export function WarehousePicker({ codes, value, onChange, label = 'Warehouse' }: { codes: string[]; value: string; onChange: (c: string) => void; label?: string }) {
  const id = `warehouse-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <span className="flex items-center gap-2 text-sm font-medium text-slate-700">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="min-h-11 rounded-md border border-slate-300 bg-white px-3 text-base">
        {codes.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </span>
  );
}
