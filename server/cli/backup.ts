// `npm run backup -- [--out FILE]`: a consistent backup of the Onhand database (db/backup.ts), taken while it runs.
// Uses DATABASE_URL, else the embedded database under ONHAND_DATA_DIR (attaching to a running `npm start`).
// Default file: .data/backups/onhand-<date>-<time>.backup.gz
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from '@/db/backup';
import { provisionDatabase } from '@/db/provision';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const file = path.resolve(values.out ?? path.join(process.env.ONHAND_DATA_DIR ?? '.data', 'backups', `onhand-${stamp}.backup.gz`));
fs.mkdirSync(path.dirname(file), { recursive: true });

const db = await provisionDatabase({ attach: true });
try {
  const h = await backupDatabase(db.url, file);
  const rows = h.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`Backed up ${h.tables.length} tables, ${rows.toLocaleString('en')} rows, to ${file} (${(fs.statSync(file).size / 1024).toFixed(0)} KiB).`);
  const shown = file.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), file) : file;
  console.log(`Restore with:  npm run restore -- ${shown}`);
} catch (e) {
  console.error(`backup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await db.stop();
}
