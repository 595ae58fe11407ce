import '#server-only';
// A schema column in a sql template renders table-qualified ("stock_levels"."reserved"), which an INSERT column
// list, an UPDATE's SET target and an ON CONFLICT target do not accept: these give its bare name ("reserved"),
// still taken from the schema, so a renamed column fails tsc.
import { getTableColumns, sql, type Name, type SQL, type Table } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const bare = (column: AnyPgColumn): SQL => sql`${sql.identifier(column.name)}`;

// An INSERT's column list: (a, b, c).
export const columnList = (...columns: AnyPgColumn[]): SQL => sql`(${sql.join(columns.map(bare), sql`, `)})`;

// Every column of a table by its bare name, for statements that name many of them.
export function bareColumns<T extends Table>(table: T): Record<keyof T['_']['columns'], Name> {
  const columns: Record<string, { name: string }> = getTableColumns(table);
  return Object.fromEntries(Object.entries(columns).map(([key, c]) => [key, sql.identifier(c.name)])) as Record<keyof T['_']['columns'], Name>;
}
