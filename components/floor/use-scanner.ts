'use client';

import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { GS, parseScan, type Scan } from '@/lib/scan';
import { defaultScannerSettings, loadScannerSettings, type ScannerSettings } from './scanner-settings';
import type { Say } from './use-feedback';
import { unlockAudio } from './sounds';
import { claimEarlyScans } from './early-scans';

export type ScannerApi = ReturnType<typeof useScanner>;

const isSuffix = (e: KeyboardEvent<HTMLInputElement>) =>
  e.key === 'Enter' || e.key === 'Tab' || e.key === '\u0004' || (e.ctrlKey && (e.key === 'd' || e.key === 'D'));

// Fields where keys belong to the worker (a quantity, a comment, a choice), never redirected to the scan field.
function isEditable(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'submit', 'checkbox', 'radio', 'reset'].includes(el.type);
  return (el as HTMLElement).isContentEditable;
}

// The scan field's behaviour: a scan ends with Enter, Tab or EOT (matched on event.key at keydown, so the
// numpad's Enter works too); the field is cleared synchronously and the code queued, and scans are handled one
// at a time in arrival order, so fast scans are never lost or reordered. `say` tells the worker when a scan got no
// answer.
export function useScanner(onScan: (scan: Scan) => Promise<void> | void, say: Say) {
  const inputRef = useRef<HTMLInputElement>(null);
  const queue = useRef<string[]>([]);
  const running = useRef(false);
  const handler = useRef(onScan);
  const sayRef = useRef(say);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [settings, setSettings] = useState<ScannerSettings>(defaultScannerSettings);
  const settingsRef = useRef(settings);
  const [busy, setBusy] = useState(false);
  const [manual, setManual] = useState(false);

  useEffect(() => {
    handler.current = onScan;
    sayRef.current = say;
  }, [onScan, say]);
  useEffect(() => {
    const s = loadScannerSettings();
    settingsRef.current = s;
    setSettings(s);
  }, []);

  const refocus = useCallback(() => {
    const el = inputRef.current;
    if (!el) return;
    const active = document.activeElement;
    if (active !== el && isEditable(active)) return;
    el.focus({ preventScroll: true });
  }, []);

  const drain = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      while (queue.current.length) {
        const scan = parseScan(queue.current.shift()!, { gs: settingsRef.current.gs });
        try {
          await handler.current(scan);
        } catch (e) {
          // A lookup that failed (the network) must not stop the queue; the worker hears it and scans again.
          console.error('scan handling failed', e);
          sayRef.current('error', `No answer for ${scan.code}: check the connection and scan it again.`);
        }
      }
    } finally {
      running.current = false;
      setBusy(false);
      refocus();
    }
  }, [refocus]);

  const endScan = useCallback(() => {
    const el = inputRef.current;
    if (!el) return;
    clearTimeout(idleTimer.current);
    const raw = el.value;
    el.value = '';
    if (!raw.trim()) return;
    queue.current.push(raw);
    void drain();
  }, [drain]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLInputElement>) => {
      unlockAudio();
      if (isSuffix(e)) {
        // An empty field lets Tab move focus as usual: keyboard users must be able to leave it.
        if (e.key === 'Tab' && !e.currentTarget.value) return;
        e.preventDefault();
        endScan();
        return;
      }
      if (e.key === GS || (e.ctrlKey && e.key === ']')) {
        e.preventDefault();
        e.currentTarget.value += GS;
      }
    },
    [endScan],
  );

  const onInput = useCallback(() => {
    const ms = settingsRef.current.idleMs;
    if (ms > 0) {
      clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(endScan, ms);
    }
  }, [endScan]);

  // A tap on the field asks for the on-screen keyboard (manual entry); otherwise inputmode="none" keeps it away.
  const onPointerDown = useCallback(() => {
    unlockAudio();
    if (!manual) setManual(true);
  }, [manual]);
  const onBlur = useCallback((e: FocusEvent<HTMLInputElement>) => {
    setManual(false);
    // Focus lost to nothing (a tap on empty space): take it back; focus moved to a control: leave it there.
    if (!e.relatedTarget) requestAnimationFrame(() => document.activeElement === document.body && inputRef.current?.focus({ preventScroll: true }));
  }, []);

  // Keys typed while a button or nothing has focus are a scan too: move them into the scan field.
  useEffect(() => {
    const onDocKey = (e: globalThis.KeyboardEvent) => {
      const el = inputRef.current;
      if (!el || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const active = document.activeElement;
      if (active === el || isEditable(active)) return;
      if (e.key.length === 1) {
        e.preventDefault();
        el.focus({ preventScroll: true });
        el.value += e.key;
      } else if (e.key === 'Enter' && el.value) {
        e.preventDefault();
        endScan();
      }
    };
    document.addEventListener('keydown', onDocKey, true);
    return () => document.removeEventListener('keydown', onDocKey, true);
  }, [endScan]);

  // Scans typed before this screen could take them (loading, hydrating, arriving from another screen) come first,
  // in order; a half-typed one continues in the field.
  useEffect(() => {
    const early = claimEarlyScans();
    if (early.rest && inputRef.current) inputRef.current.value = early.rest + inputRef.current.value;
    if (early.scans.length) {
      queue.current.push(...early.scans);
      // Handled once the screen has applied what its own first effects read (the device's warehouse).
      requestAnimationFrame(() => setTimeout(() => void drain(), 0));
    }
    return early.release;
  }, [drain]);

  useEffect(() => {
    refocus();
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock, { once: true });
    return () => window.removeEventListener('pointerdown', unlock);
  }, [refocus]);

  const updateSettings = useCallback((s: ScannerSettings) => {
    settingsRef.current = s;
    setSettings(s);
  }, []);

  return {
    busy,
    refocus,
    settings,
    updateSettings,
    // Feed a code as if scanned (camera, a tapped suggestion).
    push: (raw: string) => {
      queue.current.push(raw);
      void drain();
    },
    inputProps: {
      ref: inputRef,
      onKeyDown,
      onInput,
      onPointerDown,
      onBlur,
      inputMode: manual ? ('text' as const) : ('none' as const),
      autoComplete: 'off',
      autoCorrect: 'off',
      autoCapitalize: 'off',
      spellCheck: false,
      enterKeyHint: 'done' as const,
      'data-scan-field': '',
    },
  };
}
