// Node's request and response as the web-standard Request and Response the route handlers take and give, for the
// lean /api/v1 path. Both bodies stream: an import upload (up to 200 MB) is read as it arrives, and an answer is
// written as its stream yields, waiting for the socket to drain, never held whole in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';

// The request as a route handler sees it. Its signal aborts when the client goes away before the answer is sent.
export function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  // From req.headers, as Next reads them: node's joining of repeated headers, and the peer stamp that
  // peer-header.cjs wrote over whatever a client sent under that name.
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(requestUrl(req), {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: bodyOf(req), duplex: 'half' } : {}),
  } as RequestInit);
}

// The body, read from the socket only as the handler reads it (paused whenever nothing waits for a chunk). A body the
// handler never reads node discards once the answer is sent, as for any unread request, so the connection can serve
// the next one; one the handler stops reading (cancel) is read on and dropped for the same reason.
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let listening = false;
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!listening) {
          listening = true;
          req.on('data', (chunk: Buffer) => {
            if (settled) return;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => {
            if (!settled) (settled = true), controller.close();
          });
          req.once('close', () => {
            // Closed before its end: the client went away mid-upload.
            if (!settled) (settled = true), controller.error(new Error('The client closed the connection before the body was complete.'));
          });
        }
        req.resume();
      },
      cancel() {
        settled = true;
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

// Handlers read only the path and the query; the host is the one the client named when it is a valid one.
function requestUrl(req: IncomingMessage): string {
  const target = req.url ?? '/';
  try {
    return new URL(target, `http://${req.headers.host ?? 'localhost'}`).href;
  } catch {
    return new URL(target, 'http://localhost').href;
  }
}

// Headers Next never copies from a route handler's Response (the body may have been decoded on the way); node frames
// the answer itself. Next's rule too (next/dist/server/send-response.js).
const FRAMING = new Set(['content-length', 'content-encoding', 'transfer-encoding']);
// Headers that add to what is already set (config headers come first); any other already set stays as it is.
const REPEATABLE = new Set(['set-cookie', 'www-authenticate', 'proxy-authenticate', 'vary']);

// Writes the handler's answer as Next does: status, headers over those already set, then the body as it streams.
export async function sendWebResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (FRAMING.has(name) || name === 'set-cookie') return;
    if (REPEATABLE.has(name) || res.getHeader(name) === undefined) res.appendHeader(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('set-cookie', cookie);
  if (!response.body || req.method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeBody(response.body, res);
}

async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse) {
  const reader = body.getReader();
  let closed = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    closed = true;
    wake?.();
  };
  const onDrain = () => wake?.();
  res.once('close', onClose);
  res.on('drain', onDrain);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (closed) {
        // The client left: stop producing (a long export stops reading its cursor).
        await reader.cancel();
        return;
      }
      const flowing = res.write(value);
      // Compression (Next's middleware) holds bytes back until flushed: a streamed answer goes out as it is made.
      (res as ServerResponse & { flush?: () => void }).flush?.();
      if (!flowing) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (closed) {
        await reader.cancel();
        return;
      }
    }
    res.end();
  } catch (e) {
    // A stream that fails halfway cannot change its status any more: cut the connection so the client sees a broken
    // answer, never a complete-looking partial one.
    res.destroy(e instanceof Error ? e : new Error(String(e)));
  } finally {
    res.off('close', onClose);
    res.off('drain', onDrain);
    reader.releaseLock();
  }
}
