// The manager's approval queue as the browser reads it (GET /api/approvals), kept apart from the database row:
// the command's input and the requester's id stay on the server.
export type ApprovalRow = { id: number; command: 'count' | 'close_count' | 'receive'; why: string; requestedBy: string; createdAt: string };
export type ApprovalQueue = { rows: ApprovalRow[] };
