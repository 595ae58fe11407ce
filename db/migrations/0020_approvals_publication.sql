-- Managers' approval queues are live: the sidecar tells the `approvals` room when a held stock change is asked for,
-- approved or rejected. Only these columns are published: who asked, why, the command's input and the reject
-- reason never reach the replication stream (the queue reads them through the app, which checks the role).
ALTER PUBLICATION onhand ADD TABLE "stock_change_requests" ("id", "command", "status");
