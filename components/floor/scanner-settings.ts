// Per-device scanner settings, kept in localStorage: scanners differ in how they send the GS1 separator, and an
// inter-key pause to end a scan is only a fallback for scanners that send no suffix (0 = off).
import { GS } from '@/lib/scan';

export type ScannerSettings = { gs: string; idleMs: number };

export const defaultScannerSettings: ScannerSettings = { gs: GS, idleMs: 0 };
const KEY = 'onhand.scanner';

export function loadScannerSettings(): ScannerSettings {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (!raw) return defaultScannerSettings;
    const s = JSON.parse(raw) as Partial<ScannerSettings>;
    return {
      gs: typeof s.gs === 'string' && s.gs.length > 0 && s.gs.length <= 4 ? s.gs : GS,
      idleMs: typeof s.idleMs === 'number' && s.idleMs >= 0 && s.idleMs <= 2000 ? s.idleMs : 0,
    };
  } catch {
    return defaultScannerSettings;
  }
}

export function saveScannerSettings(s: ScannerSettings) {
  localStorage.setItem(KEY, JSON.stringify(s));
}
