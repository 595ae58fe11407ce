'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useCommand, type Action } from './use-command';
import { useFeedback } from './use-feedback';
import { useFlow } from './use-flow';
import { useWarehouse } from './warehouse-picker';

// A ref that holds the value of the latest render: the scan queue runs between renders and must read the
// warehouse chosen last, not the one its callback closed over.
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  }, [value]);
  return ref;
}

// The set-up every floor screen shares: the device's warehouse, the flow the scan queue reads and writes, the
// feedback banner with its first words, and the one command the screen sends.
export function useFloor<F, T>({ warehouses, start, greeting, action }: { warehouses: string[]; start: F; greeting: string; action: Action<T> }) {
  const client = useQueryClient();
  const [warehouse, setWarehouse] = useWarehouse(warehouses);
  const warehouseRef = useLatest(warehouse);
  const [flow, flowRef, setFlow] = useFlow<F>(start);
  const [feedback, say] = useFeedback({ kind: 'info', text: greeting });
  const cmd = useCommand(action);
  // What was scanned in one warehouse means nothing in another: choosing one resets the flow (to the start unless
  // the screen keeps some of it).
  const chooseWarehouse = (code: string, reset: F | ((f: F) => F) = start) => {
    setWarehouse(code);
    setFlow(reset);
  };
  return { client, warehouse, warehouseRef, chooseWarehouse, flow, flowRef, setFlow, feedback, say, cmd };
}
