// One ledger row as the outbound event: the change, the level after it, and the codes of its SKU and bin.
import type { ChangeStream, CommittedTx, MovementChange } from './change-stream';
import type { StockChangedEvent } from './messages';
import { withoutPerson } from '@/server/inventory/kernel/actor';

export type Places = Awaited<ReturnType<ChangeStream['places']>>;

// A product or bin that cannot be named (never expected: rows reference them) still goes out, by id.
export function toStockEvent(m: MovementChange, tx: CommittedTx, p: Places, o: { staffDetails: boolean }): StockChangedEvent {
  const bin = p.bins.get(m.locationId);
  return {
    type: 'stock.changed',
    movementId: m.id,
    sku: p.skus.get(m.productId) ?? `#${m.productId}`,
    warehouse: bin?.warehouse ?? '?',
    location: bin?.location ?? `#${m.locationId}`,
    kind: m.kind,
    onHandDelta: m.onHandDelta,
    reservedDelta: m.reservedDelta,
    onHand: m.onHandAfter,
    reserved: m.reservedAfter,
    available: m.onHandAfter - m.reservedAfter,
    version: m.version,
    reason: m.reasonCode,
    referenceType: m.referenceType,
    referenceId: m.referenceId,
    note: o.staffDetails ? m.note : null,
    actor: o.staffDetails ? m.actor : withoutPerson(m.actor),
    commandId: m.commandId,
    committedAt: tx.commitTime.toISOString(),
    lsn: tx.endLsn,
  };
}
