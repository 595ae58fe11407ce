// A table's columns by their bare names ("on_hand"), for the places SQL takes no qualified name: the column list of
// an INSERT, the targets of UPDATE ... SET and ON CONFLICT. Named from the schema, so a renamed column fails tsc.
import { getTableColumns, sql, type Name, type Table } from 'drizzle-orm';

export function bareColumns<T extends Table>(table: T): Record<keyof T['_']['columns'], Name> {
  const columns: Record<string, { name: string }> = getTableColumns(table);
  return Object.fromEntries(Object.entries(columns).map(([key, c]) => [key, sql.identifier(c.name)])) as Record<keyof T['_']['columns'], Name>;
}
