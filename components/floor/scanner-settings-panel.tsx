'use client';

import { GS } from '@/lib/scan';
import { saveScannerSettings, type ScannerSettings } from './scanner-settings';

// Per-device settings for scanners that differ from the default (GS sent as another character, no suffix).
export function ScannerSettingsPanel({ settings, onChange }: { settings: ScannerSettings; onChange: (s: ScannerSettings) => void }) {
  const update = (s: ScannerSettings) => {
    saveScannerSettings(s);
    onChange(s);
  };
  return (
    <details className="text-sm text-slate-600">
      <summary className="inline-flex min-h-11 cursor-pointer items-center">Scanner settings</summary>
      <div className="mt-2 flex flex-wrap gap-4">
        <label className="flex items-center gap-2">
          GS1 separator sent as
          <input
            value={settings.gs === GS ? '' : settings.gs}
            placeholder="ASCII 29"
            maxLength={4}
            onChange={(e) => update({ ...settings, gs: e.target.value || GS })}
            className="min-h-11 w-24 rounded-md border border-slate-300 px-2"
          />
        </label>
        <label className="flex items-center gap-2">
          End a scan after a pause of (ms, 0 = only on Enter/Tab/EOT)
          <input
            type="number"
            min={0}
            max={2000}
            step={10}
            value={settings.idleMs}
            onChange={(e) => update({ ...settings, idleMs: Math.min(Math.max(Number(e.target.value) || 0, 0), 2000) })}
            className="min-h-11 w-24 rounded-md border border-slate-300 px-2"
          />
        </label>
      </div>
    </details>
  );
}
