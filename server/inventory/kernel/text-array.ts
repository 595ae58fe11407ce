import '#server-only';
import { sql } from 'drizzle-orm';

// A list of text values as one array parameter: one bind however long the list, where a bind per value meets the
// driver's limit of 65,535 parameters on large batches.
export const textArray = (values: string[]) => sql`${`{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`}::text[]`;
