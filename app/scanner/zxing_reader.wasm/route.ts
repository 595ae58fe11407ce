import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unstable_rethrow } from 'next/navigation';
import { errorResponse } from '@/server/adapters/middle';
import { requireRole } from '@/server/auth/session';

// The camera's barcode decoder (ZXing-C++ in WebAssembly) for browsers without BarcodeDetector, served by the app
// itself from the installed zxing-wasm package: warehouses may have no internet, and the package's default is a
// CDN. Only floor screens load it, so only a signed-in user gets it. The file changes only with the package
// version, which the screen puts in the query string: a browser may keep it for good.
// A file path, not a module resolution: the bundler would otherwise compile the .wasm into the server instead.
const wasmPath = join(process.cwd(), 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');
let wasm: Promise<Buffer> | null = null;

export async function GET(req: Request): Promise<Response> {
  try {
    await requireRole('staff');
    wasm ??= readFile(wasmPath);
    return new Response(new Uint8Array(await wasm), {
      headers: { 'content-type': 'application/wasm', 'cache-control': 'private, max-age=31536000, immutable' },
    });
  } catch (e) {
    unstable_rethrow(e);
    return errorResponse(e, `GET ${new URL(req.url).pathname}`, 'Reload the page and turn the camera on again.');
  }
}
