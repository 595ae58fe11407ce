'use client';

import { useCallback, useRef, useState } from 'react';

// A screen's flow state, readable synchronously by the scan queue: five scans queued back to back each see
// what the one before wrote (React state alone would show every one of them the same stale value).
export function useFlow<T>(initial: T) {
  const [state, setState] = useState(initial);
  const ref = useRef(initial);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (p: T) => T)(ref.current) : next;
    setState(ref.current);
  }, []);
  return [state, ref, set] as const;
}
