// The embedded PostgreSQL: a random password per data directory, kept beside it for its owner only, never the
// fixed one the code used to hold; loopback only. A data directory made with the old password gets a new one.
import fs from 'node:fs';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { passwordFileOf, startEmbedded } from './provision';

const dataDir = `.data/test-password-${process.pid}`;
const clear = () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(passwordFileOf(dataDir), { force: true });
};
afterAll(clear);

const withPassword = (url: string, password: string) => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};
async function connects(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

it('makes a random password kept beside the data directory, refuses the old fixed one, and listens on loopback only', async () => {
  clear();
  let pg = await startEmbedded({ dataDir, database: 'postgres', durable: false });
  try {
    const file = passwordFileOf(dataDir);
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(decodeURIComponent(new URL(pg.url).password)).toBe(password);
    expect(await connects(withPassword(pg.url, 'onhand'))).toBe(false);
    const sql = postgres(pg.url, { max: 1 });
    const [{ listen_addresses: listen }] = await sql`SHOW listen_addresses`;
    // A data directory from before: the server still has the old password and no file beside it.
    await sql.unsafe(`ALTER ROLE postgres PASSWORD 'onhand'`);
    await sql.end();
    expect(listen).toBe('127.0.0.1');
    await pg.stop();
    fs.rmSync(file);

    pg = await startEmbedded({ dataDir, database: 'postgres', durable: false });
    const renewed = fs.readFileSync(file, 'utf8').trim();
    expect(renewed).not.toBe(password);
    expect(await connects(pg.url)).toBe(true);
    expect(await connects(withPassword(pg.url, 'onhand'))).toBe(false);
  } finally {
    await pg.stop();
  }
});
