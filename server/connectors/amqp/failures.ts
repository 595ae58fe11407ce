// Sorts what went wrong with a message: a refusal (the message itself is wrong, or cannot be applied to the
// stock as it is) is permanent and dead-lettered at once; anything else may pass on a later try.
import { InventoryError } from '@/server/inventory';
import { sqlState } from '@/server/inventory/kernel/command';
import type { ErrorInfo } from './messages';

export type Failure = ErrorInfo & { transient: boolean };

// Raised by the connector before the core sees the message.
export class MessageRefused extends Error {
  constructor(
    readonly type: 'missing_message_id' | 'malformed_json' | 'payload_too_large' | 'unknown_publisher' | 'command_not_allowed' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function classify(e: unknown): Failure {
  if (e instanceof MessageRefused) return { type: e.type, message: e.message, transient: false };
  // Stored under the message id by the core: a retry would only replay it.
  if (e instanceof InventoryError) return { type: e.type, message: e.message, details: e.details, transient: false };
  const message = e instanceof Error ? e.message : String(e);
  const state = sqlState(e);
  // The driver's code, under drizzle's wrapper when a statement failed (a command that is one call).
  const code = driverCode(e);
  // Class 08 connection exceptions, 57P0x shutdowns, 53 out of resources: the database is (briefly) not there.
  if ((typeof code === 'string' && CONNECTION_CODES.has(code)) || /^(08|53|57P0)/.test(state ?? '')) {
    return { type: 'database_unavailable', message, transient: true };
  }
  if (state === '40001' || state === '40P01') return { type: 'serialization_failure', message, transient: true };
  // A statement timeout or an operator's pg_cancel_backend: the transaction rolled back, a retry may pass.
  if (state === '57014' || state === '55P03') return { type: 'statement_cancelled', message, transient: true };
  // Unknown: most likely a bug, but a bounded retry costs little and a dead letter keeps the message.
  return { type: 'internal_error', message, transient: true };
}

function driverCode(e: unknown): unknown {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++) {
    if (cur.code !== undefined) return cur.code;
  }
  return undefined;
}
