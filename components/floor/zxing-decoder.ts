// The camera's decoder where the browser has no usable BarcodeDetector (iPhone, Firefox, Chrome on Windows and
// Linux): ZXing-C++ compiled to WebAssembly. Imported only when the camera is turned on, so floor pages do not
// carry it; its .wasm comes from the app (app/scanner/zxing_reader.wasm), never from the package's default CDN.
import { prepareZXingModule, purgeZXingModule, readBarcodes, ZXING_WASM_VERSION, type ReadResult } from 'zxing-wasm/reader';

const overrides = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? `/scanner/${path}?v=${ZXING_WASM_VERSION}` : prefix + path),
};

// What the floor's scanners read: EAN/UPC on products, Code 128 on bins and slips, GS1 DataMatrix on cases.
const FORMATS = ['EAN-13', 'EAN-8', 'UPC-A', 'UPC-E', 'Code128', 'Code39', 'DataMatrix', 'QRCode'] as const;

// The text a wedge scanner would send for this symbol. GS1 data keeps its GS separators and gets its symbology
// identifier (]d2, ]C1, ]Q3) in front, so lib/scan.ts reads the element string by its Application Identifiers.
export function scannedText(r: Pick<ReadResult, 'text' | 'contentType' | 'symbologyIdentifier'>): string {
  return r.contentType === 'GS1' ? `${r.symbologyIdentifier}${r.text}` : r.text;
}

// Resolves once the WebAssembly is loaded, so a decoder that cannot load (the session ended, the app is away) says
// so when the camera is turned on instead of failing silently on every frame; a later try loads it afresh.
export async function zxingDetector(): Promise<(video: HTMLVideoElement) => Promise<string | null>> {
  try {
    await prepareZXingModule({ overrides, fireImmediately: true });
  } catch (e) {
    purgeZXingModule();
    throw e;
  }
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return async (video) => {
    if (!ctx || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    ctx.drawImage(video, 0, 0);
    const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const [found] = await readBarcodes(frame, { formats: [...FORMATS], textMode: 'Plain', maxNumberOfSymbols: 1, tryHarder: true });
    return found?.isValid ? scannedText(found) : null;
  };
}
