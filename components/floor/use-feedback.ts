'use client';

import { useCallback, useState } from 'react';
import { playSound, type SoundKind } from './sounds';

export type Feedback = { kind: SoundKind; text: string; at: number };
export type Say = (kind: SoundKind, text: string) => void;

// The one feedback banner's state; every message also plays its sound.
export function useFeedback(initial: Omit<Feedback, 'at'> | null = null) {
  const [feedback, setFeedback] = useState<Feedback | null>(initial ? { ...initial, at: 0 } : null);
  const say = useCallback<Say>((kind, text) => {
    setFeedback({ kind, text, at: Date.now() });
    playSound(kind);
  }, []);
  return [feedback, say] as const;
}
