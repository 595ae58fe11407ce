// The database's own ceiling for the baseline's SQL: pgbench (PostgreSQL's C load generator, in its own process)
// running the same statements as directReserve and directRelease (world.ts), prepared, on the same pool size,
// against the same server in the same run. Where Node's direct baseline falls short of it, the difference is the
// cost of Node and postgres.js themselves, which no change to Onhand can win back.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type postgres from 'postgres';
import type { World } from './world';

const run = promisify(execFile);

export async function pgbenchPath(): Promise<string | null> {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [];
  return ['/usr/bin/pgbench', ...versions.map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`)].find((p) => fs.existsSync(p)) ?? null;
}

// One script iteration is two transactions, a hold then its release: the same shape as one direct loop iteration.
// pgbench reads `:name` as a variable even inside a string literal, so literals with a colon are concatenated.
function script(locationId: number) {
  return `\\set pid random(:pmin, :pmax)
SELECT gen_random_uuid() AS k, gen_random_uuid() AS h \\gset
BEGIN;
INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body) VALUES ('bench:' || 'pgbench', :k::text, 'h', 0, 'null') ON CONFLICT DO NOTHING;
WITH lvl AS (
  UPDATE stock_levels SET reserved = reserved + 1, version = version + 1, updated_at = now()
  WHERE product_id = :pid::int AND location_id = ${locationId} AND on_hand - reserved >= 1
  RETURNING product_id, location_id, on_hand, reserved, version),
mv AS (
  INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, reference_type, reference_id, actor, command_id)
  SELECT product_id, location_id, 'reservation', 0, 1, on_hand, reserved, version, 'hold', :h::text, 'system:' || 'bench', :h::uuid FROM lvl
  RETURNING id)
SELECT lvl.version, (SELECT id FROM mv) AS movement_id FROM lvl;
INSERT INTO reservations (product_id, location_id, qty, hold_id, expires_at, created_by) VALUES (:pid::int, ${locationId}, 1, :h::uuid, now() + interval '15 minutes', 'bench');
UPDATE idempotency_keys SET response_status = 201, response_body = jsonb_build_object('ok', true, 'value', jsonb_build_object('id', :h::text)) WHERE scope = 'bench:' || 'pgbench' AND key = :k::text;
COMMIT;
BEGIN;
SELECT id AS rid, qty AS rqty FROM reservations WHERE hold_id = :h::uuid AND status = 'active' ORDER BY id FOR UPDATE \\gset
WITH lvl AS (
  UPDATE stock_levels SET reserved = reserved - :rqty::int, version = version + 1, updated_at = now()
  WHERE product_id = :pid::int AND location_id = ${locationId} AND reserved - :rqty::int >= 0
  RETURNING product_id, location_id, on_hand, reserved, version),
mv AS (
  INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, version, reason_code, reference_type, reference_id, actor, command_id)
  SELECT product_id, location_id, 'release', 0, -(:rqty::int), on_hand, reserved, version, 'released', 'hold', :h::text, 'system:' || 'bench', :h::uuid FROM lvl
  RETURNING id)
SELECT lvl.version FROM lvl;
UPDATE reservations SET status = 'released', closed_at = now() WHERE id = :rid::uuid;
COMMIT;
`;
}

// Holds + releases per second (commands, two per iteration), or null where pgbench is not installed.
export async function pgbenchHolds(sql: postgres.Sql, url: string, world: World, opts: { clients: number; seconds: number }): Promise<{ perSecond: number; bin: string } | null> {
  const bin = await pgbenchPath();
  if (!bin) return null;
  // pgbench draws a product id from a range: the world's ids are one contiguous block.
  const [{ min, max, n }] = await sql<{ min: number; max: number; n: number }[]>`SELECT min(id)::int AS min, max(id)::int AS max, count(*)::int AS n FROM products WHERE id = ANY(${world.productIds})`;
  if (max - min + 1 !== n) throw new Error('pgbench needs the products of one contiguous id block');
  const file = path.join(os.tmpdir(), `onhand-pgbench-${process.pid}.sql`);
  fs.writeFileSync(file, script(world.pickBinId));
  try {
    const { stdout } = await run(
      bin,
      ['-n', '-M', 'prepared', '-c', String(opts.clients), '-j', String(Math.min(opts.clients, os.cpus().length)), '-T', String(Math.max(1, Math.round(opts.seconds))), '-D', `pmin=${min}`, '-D', `pmax=${max}`, '-f', file, url],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const tps = /tps = ([\d.]+)/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { perSecond: Number(tps[1]) * 2, bin };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
