-- Closing a bin's count (zeroing what was not scanned) is held for a manager like a single count beyond the tolerance.
ALTER TABLE "stock_change_requests" DROP CONSTRAINT "stock_change_requests_command_check";--> statement-breakpoint
ALTER TABLE "stock_change_requests" ADD CONSTRAINT "stock_change_requests_command_check" CHECK ("command" IN ('count', 'close_count', 'receive'));
