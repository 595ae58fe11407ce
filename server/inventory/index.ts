// The domain core's public surface: one function per command, its zod input schema and its result type.
// Adapters (server actions, REST handlers, the queue connector) import from here and write no SQL of their own.
import '#server-only';
export type { Actor } from './kernel/actor';
export { actorRef, systemActor } from './kernel/actor';
export type { CommandOptions } from './kernel/command';
export { httpStatusOf, InventoryError, type InventoryErrorType } from './kernel/errors';
export { adjustmentReason, adjustmentReasons, MAX_QTY } from './kernel/schemas';
export type { Allocation } from './kernel/allocation';

export { receive, receiveInput, type ReceiveInput, type ReceiveResult } from './commands/receive';
export { reserve, reserveInput, DEFAULT_HOLD_TTL_SECONDS, MAX_HOLD_TTL_SECONDS, type ReserveInput, type ReserveResult } from './commands/reserve';
export { release, releaseInput, type ReleaseInput, type ReleaseResult } from './commands/release';
export { sweepExpiredHolds, sweepInput, type SweepInput, type SweepResult } from './commands/sweep';
export {
  allocateOrder,
  allocateOrderInput,
  MAX_ORDER_LINES,
  type AllocateOrderInput,
  type AllocateOrderResult,
  type AllocatedLine,
  type ShortLine,
} from './commands/allocate-order';
export { cancelOrder, cancelOrderInput, type CancelOrderInput, type CancelOrderResult, type ReleasedHold } from './commands/cancel-order';
export { pick, pickInput, type PickInput, type PickResult } from './commands/pick';
export { shortPick, shortPickInput, shortPickReasons, type ShortPickInput, type ShortPickResult } from './commands/short-pick';
export { shipOrder, shipOrderInput, type ShipOrderInput, type ShipOrderResult, type ShippedLine } from './commands/ship-order';
export { adjust, adjustInput, type AdjustInput, type AdjustResult } from './commands/adjust';
export { count, countInput, type CountInput, type CountResult } from './commands/count';
export { closeCount, closeCountInput, type CloseCountInput, type CloseCountResult } from './commands/close-count';
export { ApprovalRequired, countTolerance, receiptLimitWithoutPo } from './commands/approval-guard';
export { approveStockChange, decisionInput, pendingStockChanges, rejectStockChange, type Decision } from './commands/approvals';
export { transfer, transferInput, type TransferInput, type TransferResult } from './commands/transfer';
export { transferAll, transferAllInput, type TransferAllInput, type TransferAllResult } from './commands/transfer-all';
export { verifyInventory, type CheckResult, type Issue, type VerifyReport } from './read/verify';

// Purchasing: suppliers, a product's supplier terms, and purchase orders through their lifecycle. An importer
// creates suppliers with saveSupplier (mode 'upsert' matches by name) and terms with saveProductSupplier.
export {
  saveSupplier,
  saveSupplierInput,
  saveProductSupplier,
  saveProductSupplierInput,
  removeProductSupplier,
  roundToTerms,
  type SaveSupplierInput,
  type SaveProductSupplierInput,
} from './commands/suppliers';
export {
  createPurchaseOrder,
  setPurchaseOrderLine,
  markOrdered,
  cancelPurchaseOrder,
  closePurchaseOrder,
  draftFromSuggestions,
  type CreatePurchaseOrderInput,
  type ClosePurchaseOrderInput,
  type DraftFromSuggestionsInput,
} from './commands/purchase-orders';
