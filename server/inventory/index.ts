// The domain core's public surface: one function per command, its zod input schema and its result type.
// Adapters (server actions, REST handlers, the queue connector) import from here and write no SQL of their own.
export type { Actor } from './actor';
export { actorRef, systemActor } from './actor';
export type { CommandOptions } from './command';
export { httpStatusOf, InventoryError, type InventoryErrorType } from './errors';
export { adjustmentReason, adjustmentReasons, MAX_QTY } from './schemas';
export type { Allocation } from './allocation';

export { receive, receiveInput, type ReceiveInput, type ReceiveResult } from './receive';
export { reserve, reserveInput, DEFAULT_HOLD_TTL_SECONDS, MAX_HOLD_TTL_SECONDS, type ReserveInput, type ReserveResult } from './reserve';
export { release, releaseInput, type ReleaseInput, type ReleaseResult } from './release';
export { sweepExpiredHolds, sweepInput, type SweepInput, type SweepResult } from './sweep';
export {
  allocateOrder,
  allocateOrderInput,
  MAX_ORDER_LINES,
  type AllocateOrderInput,
  type AllocateOrderResult,
  type AllocatedLine,
  type ShortLine,
} from './allocate-order';
export { cancelOrder, cancelOrderInput, type CancelOrderInput, type CancelOrderResult, type ReleasedHold } from './cancel-order';
export { pick, pickInput, type PickInput, type PickResult } from './pick';
export { shortPick, shortPickInput, shortPickReasons, type ShortPickInput, type ShortPickResult } from './short-pick';
export { shipOrder, shipOrderInput, type ShipOrderInput, type ShipOrderResult, type ShippedLine } from './ship-order';
export { adjust, adjustInput, type AdjustInput, type AdjustResult } from './adjust';
export { count, countInput, type CountInput, type CountResult } from './count';
export { transfer, transferInput, type TransferInput, type TransferResult } from './transfer';
export { verifyInventory, type CheckResult, type Issue, type VerifyReport } from './verify';
