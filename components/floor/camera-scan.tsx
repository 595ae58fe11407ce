'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

type Detect = (video: HTMLVideoElement) => Promise<string | null>;
type NativeDetector = { detect: (source: HTMLVideoElement) => Promise<{ rawValue: string }[]> };
type NativeCtor = { new (opts?: { formats?: string[] }): NativeDetector; getSupportedFormats?: () => Promise<string[]> };

const NATIVE_FORMATS = ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'code_39', 'data_matrix', 'qr_code'];
// Without these the floor's own labels would not read: products (EAN), bins and slips (Code 128), cases (GS1 DataMatrix).
const NEEDED = ['ean_13', 'code_128', 'data_matrix'];

// The browser's BarcodeDetector where it reads every format the floor needs (Chrome on Android, macOS,
// ChromeOS); elsewhere ZXing in WebAssembly, loaded only now that the camera is on.
async function makeDetector(): Promise<Detect> {
  const Native = (window as unknown as { BarcodeDetector?: NativeCtor }).BarcodeDetector;
  const formats = Native ? await Native.getSupportedFormats?.().catch(() => []) : [];
  if (Native && NEEDED.every((f) => formats?.includes(f))) {
    const detector = new Native({ formats: NATIVE_FORMATS.filter((f) => formats!.includes(f)) });
    return async (video) => (await detector.detect(video).catch(() => []))[0]?.rawValue ?? null;
  }
  const { zxingDetector } = await import('./zxing-decoder');
  return await zxingDetector();
}

// Camera scanning wherever the device has a camera the browser may use. Never the only way in: a read code goes
// through the same queue as a wedge scan.
export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const [supported, setSupported] = useState(false);
  const [on, setOn] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  // The screen hands a new callback on each render; the camera must not restart for it.
  const onCodeRef = useRef(onCode);
  useEffect(() => {
    onCodeRef.current = onCode;
  }, [onCode]);
  // Shown where there is a camera to use: a desktop without one gets no button that can only fail.
  useEffect(() => {
    const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (!media?.getUserMedia || !media.enumerateDevices) return;
    let live = true;
    void media.enumerateDevices().then(
      (devices) => live && setSupported(devices.some((d) => d.kind === 'videoinput')),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!on) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = '';
    setProblem(null);
    void (async () => {
      try {
        const [detect, s] = await Promise.all([makeDetector(), navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })]);
        stream = s;
        if (stopped || !video.current) return s.getTracks().forEach((t) => t.stop());
        video.current.srcObject = s;
        await video.current.play();
        // One frame at a time, the next a moment after the last was read: a slow decoder never piles up frames.
        const tick = async () => {
          if (stopped) return;
          if (video.current && video.current.readyState >= 2) {
            const code = (await detect(video.current).catch(() => null)) ?? '';
            // One read per code held in view; the same code again needs it taken away first.
            if (code && code !== last && !stopped) onCodeRef.current(code);
            last = code;
          }
          if (!stopped) timer = setTimeout(tick, 200);
        };
        void tick();
      } catch (e) {
        if (stopped) return;
        setProblem(e instanceof DOMException && e.name === 'NotAllowedError' ? 'The camera was not allowed: allow it in the browser’s site settings.' : 'The camera could not start. Scan with the scanner, or type the code.');
        setOn(false);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [on]);

  if (!supported) return null;
  return (
    <div className="space-y-2">
      <Button onClick={() => setOn((v) => !v)} aria-pressed={on}>
        {on ? 'Stop camera' : 'Scan with camera'}
      </Button>
      {problem ? <p className="text-sm text-red-700">{problem}</p> : null}
      {on ? <video ref={video} muted playsInline className="aspect-video w-full max-w-md rounded-lg bg-black" aria-label="Camera view" /> : null}
    </div>
  );
}
