'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

type Detector = { detect: (source: HTMLVideoElement) => Promise<{ rawValue: string }[]> };
type DetectorCtor = new (opts?: { formats?: string[] }) => Detector;

const FORMATS = ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'code_39', 'data_matrix', 'qr_code'];

// Camera scanning where the browser has BarcodeDetector (Chrome on Android, macOS, ChromeOS); hidden elsewhere.
// Never the only way in: a detected code goes through the same queue as a wedge scan.
export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const [supported, setSupported] = useState(false);
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => setSupported(typeof window !== 'undefined' && 'BarcodeDetector' in window), []);

  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let last = '';
    const Ctor = (window as unknown as { BarcodeDetector: DetectorCtor }).BarcodeDetector;
    const detector = new Ctor({ formats: FORMATS });
    void navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(
      (s) => {
        stream = s;
        if (!video.current) return;
        video.current.srcObject = s;
        void video.current.play();
        timer = setInterval(async () => {
          if (!video.current || video.current.readyState < 2) return;
          const found = await detector.detect(video.current).catch(() => []);
          // One read per code held in view; the same code again needs it taken away first.
          const code = found[0]?.rawValue ?? '';
          if (code && code !== last) onCode(code);
          last = code;
        }, 250);
      },
      () => setOn(false),
    );
    return () => {
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on, onCode]);

  if (!supported) return null;
  return (
    <div className="space-y-2">
      <Button onClick={() => setOn((v) => !v)} aria-pressed={on}>
        {on ? 'Stop camera' : 'Scan with camera'}
      </Button>
      {on ? <video ref={video} muted playsInline className="aspect-video w-full max-w-md rounded-lg bg-black" aria-label="Camera view" /> : null}
    </div>
  );
}
