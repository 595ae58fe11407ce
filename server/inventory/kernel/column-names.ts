// A schema column in a sql template renders table-qualified ("stock_levels"."reserved"), which an INSERT column
// list and an UPDATE's SET target do not accept: these give its bare name, still taken from the schema.
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const bare = (column: AnyPgColumn): SQL => sql`${sql.identifier(column.name)}`;

// An INSERT's column list: (a, b, c).
export const columnList = (...columns: AnyPgColumn[]): SQL => sql`(${sql.join(columns.map(bare), sql`, `)})`;
