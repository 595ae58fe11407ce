// A TCP proxy between the driver and PostgreSQL that counts what a piece of code costs on the wire: round trips
// (each time the client speaks again after the server answered, it had waited for that answer) and statements
// (Bind of the extended protocol, or a simple Query), with each statement's text for the log.
import net from 'node:net';

export type WireCount = { roundTrips: number; statements: string[] };

export type WireCounter = {
  // The database URL that goes through the proxy.
  url: string;
  // Counts everything the client sends while fn runs.
  measure: (fn: () => Promise<unknown>) => Promise<WireCount>;
  close: () => Promise<void>;
};

export async function startWireCounter(databaseUrl: string): Promise<WireCounter> {
  const target = new URL(databaseUrl);
  let counting: WireCount | null = null;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    // Statement names the driver prepared on this connection, to name what a later Bind runs.
    const named = new Map<string, string>();
    let lastUnnamed = '';
    let serverSpokeLast = true;
    let started = false;
    let pending = Buffer.alloc(0);

    client.on('data', (chunk) => {
      upstream.write(chunk);
      if (counting && serverSpokeLast) counting.roundTrips++;
      serverSpokeLast = false;
      pending = Buffer.concat([pending, chunk]);
      // The startup message has no type byte; every later message is type, int32 length, body.
      if (!started) {
        if (pending.length < 4) return;
        const len = pending.readInt32BE(0);
        if (pending.length < len) return;
        pending = pending.subarray(len);
        started = true;
      }
      while (pending.length >= 5) {
        const type = String.fromCharCode(pending[0]);
        const len = pending.readInt32BE(1);
        if (pending.length < 1 + len) break;
        const body = pending.subarray(5, 1 + len);
        pending = pending.subarray(1 + len);
        if (type === 'P') {
          const nameEnd = body.indexOf(0);
          const name = body.subarray(0, nameEnd).toString();
          const text = body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString();
          if (name) named.set(name, text);
          else lastUnnamed = text;
        } else if (type === 'B' && counting) {
          const portalEnd = body.indexOf(0);
          const name = body.subarray(portalEnd + 1, body.indexOf(0, portalEnd + 1)).toString();
          counting.statements.push(name ? (named.get(name) ?? name) : lastUnnamed);
        } else if (type === 'Q' && counting) {
          counting.statements.push(body.subarray(0, body.length - 1).toString());
        }
      }
    });
    upstream.on('data', (chunk) => {
      client.write(chunk);
      serverSpokeLast = true;
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    async measure(fn) {
      const count: WireCount = { roundTrips: 0, statements: [] };
      counting = count;
      try {
        await fn();
      } finally {
        counting = null;
      }
      return count;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
