// Node's request and response as web Request and Response, over a real HTTP server: bodies stream both ways (an
// upload is read while the client still sends, an answer reaches the client before its stream ends), headers are
// copied by Next's rules, and a client that leaves cancels the answer's stream.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebResponse, webRequest } from './node-web';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(handler: (request: Request, res: http.ServerResponse) => Promise<Response>): Promise<number> {
  server = http.createServer((req, res) => {
    handler(webRequest(req, res), res)
      .then((response) => sendWebResponse(req, res, response))
      .catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

// A promise and the function that settles it.
function signal<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('web Request and Response over node:http', () => {
  it('hands the handler the upload as it arrives, not once it is complete', async () => {
    const firstChunkRead = signal<string>();
    const port = await serve(async (request) => {
      const reader = request.body!.getReader();
      const decoder = new TextDecoder();
      const first = await reader.read();
      firstChunkRead.resolve(decoder.decode(first.value));
      let rest = '';
      for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value, { stream: true });
      return Response.json({ first: decoder.decode(first.value), rest, method: request.method, type: request.headers.get('content-type') });
    });
    const answer = signal<{ status: number; body: string }>();
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/api/v1/imports?kind=products', headers: { 'content-type': 'text/csv' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => answer.resolve({ status: res.statusCode!, body }));
    });
    req.write('sku,name\n');
    // The server has the first line while the request is still open: only then is the rest sent.
    expect(await firstChunkRead.promise).toBe('sku,name\n');
    req.end('LAMP-1,Lamp\n');
    const { status, body } = await answer.promise;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ first: 'sku,name\n', rest: 'LAMP-1,Lamp\n', method: 'POST', type: 'text/csv' });
  });

  it('sends an answer as its stream yields: the client has the first rows before the last is made', async () => {
    const clientHasFirst = signal();
    const port = await serve(async () => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('sku,on_hand\r\n'));
          await clientHasFirst.promise;
          controller.enqueue(encoder.encode('LAMP-1,4\r\n'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8' } });
    });
    const got: string[] = [];
    const done = signal<http.IncomingMessage>();
    http.get({ port, host: '127.0.0.1', path: '/export' }, (res) => {
      res.on('data', (c: Buffer) => {
        got.push(c.toString());
        clientHasFirst.resolve();
      });
      res.on('end', () => done.resolve(res));
    });
    const res = await done.promise;
    expect(got).toEqual(['sku,on_hand\r\n', 'LAMP-1,4\r\n']);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
  });

  it("copies headers as Next does: headers already set stay, repeatable ones add up, cookies apart, framing is node's", async () => {
    const port = await serve(async (_request, res) => {
      // As the config's headers are set before the handler runs.
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Vary', 'Accept-Encoding');
      const headers = new Headers({ 'X-Frame-Options': 'SAMEORIGIN', Vary: 'Origin', 'Content-Length': '999', 'X-Request-Id': 'abc' });
      headers.append('Set-Cookie', 'a=1; Path=/');
      headers.append('Set-Cookie', 'b=2, with comma; Path=/');
      return new Response('{"ok":true}', { status: 201, statusText: 'Made', headers });
    });
    const res = await new Promise<http.IncomingMessage & { body?: string }>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/' }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve(Object.assign(r, { body })));
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.statusMessage).toBe('Made');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2, with comma; Path=/']);
    expect(res.headers['x-request-id']).toBe('abc');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body).toBe('{"ok":true}');
  });

  it('gives the handler the headers node parsed, repeated ones joined, and the URL the client asked for', async () => {
    const port = await serve(async (request) => Response.json({ url: request.url, accept: request.headers.get('accept'), auth: request.headers.get('authorization') }));
    const res = await new Promise<string>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/api/v1/stock?sku=A&sku=B', headers: { accept: ['text/csv', 'application/json'], authorization: 'Bearer k1' } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve(body));
      }),
    );
    expect(JSON.parse(res)).toEqual({ url: `http://127.0.0.1:${port}/api/v1/stock?sku=A&sku=B`, accept: 'text/csv, application/json', auth: 'Bearer k1' });
  });

  it('a body the handler leaves unread, or stops reading, does not hold up the next request on the connection', async () => {
    const port = await serve(async (request) => {
      if (new URL(request.url).pathname === '/partial') {
        const reader = request.body!.getReader();
        await reader.read();
        await reader.cancel();
      }
      return Response.json({ refused: true }, { status: 401 });
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const post = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ agent, port, host: '127.0.0.1', method: 'POST', path, headers: { 'content-type': 'text/csv' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('socket', (s) => sockets.add(s));
        req.on('error', reject);
        req.end(Buffer.alloc(1024 * 1024, 'a'));
      });
    try {
      expect([await post('/unread'), await post('/partial'), await post('/unread')]).toEqual([401, 401, 401]);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('a client that leaves aborts the request and cancels the answer still streaming', async () => {
    const aborted = signal();
    const cancelled = signal();
    const port = await serve(async (request) => {
      request.signal.addEventListener('abort', () => aborted.resolve());
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(new TextEncoder().encode(`row ${n++}\n`));
        },
        cancel: () => cancelled.resolve(),
      });
      return new Response(body);
    });
    await new Promise<void>((resolve) => {
      const req = http.get({ port, host: '127.0.0.1', path: '/export' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
    });
    await Promise.all([aborted.promise, cancelled.promise]);
  });
});
