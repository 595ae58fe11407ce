import { getDb } from '@/db/client';
import { toCsv } from '@/lib/csv';
import { hasRole } from '@/lib/contracts/roles';
import { currentUser } from '@/server/auth/session';
import { InventoryError } from '@/server/inventory';
import { purchaseOrderView } from '@/server/inventory/read/purchase-orders';

const header = ['purchase_order', 'status', 'supplier', 'warehouse', 'expected_at', 'sku', 'name', 'supplier_sku', 'pack_size', 'ordered', 'received', 'remaining', 'short_reason', 'unit_cost', 'line_total'];
const text = (body: string, status: number) => new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

// One purchase order as a file, a line per row (small: an order holds at most a few hundred lines). It answers
// text/csv, so it makes the dashboard's checks itself: session, role, then the order.
export async function GET(_req: Request, { params }: { params: Promise<{ reference: string }> }): Promise<Response> {
  const user = await currentUser();
  if (!user) return text('Sign in to download purchase orders.', 401);
  if (!hasRole(user.role, 'manager')) return text(`This needs the manager role; you are signed in as ${user.role}.`, 403);
  const reference = decodeURIComponent((await params).reference);
  const po = await purchaseOrderView(getDb(), reference).catch((e: unknown) => (e instanceof InventoryError && e.type === 'not_found' ? null : Promise.reject(e)));
  if (!po) return text(`No purchase order ${reference}.`, 404);
  const rows = po.lines.map((l) => [
    po.reference, po.status, po.supplier, po.warehouse, po.expectedAt, l.sku, l.name, l.supplierSku, l.packSize, l.ordered, l.received, l.remaining,
    l.shortReason, money(l.unitCostCents), money(l.unitCostCents === null ? null : l.unitCostCents * l.ordered),
  ]);
  const name = `${po.reference.replace(/[^\w.-]+/g, '_')}.csv`;
  return new Response(toCsv(header, rows), {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  });
}
