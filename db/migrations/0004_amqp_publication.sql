-- The AMQP connector's outbound stream: every ledger row, decoded from a persistent replication slot (pgoutput).
-- The ledger row carries the change (kind, deltas, reason, reference) and the level after it (on hand, reserved,
-- version), so one insert is one complete event. A publication of its own, so the sidecar's stays as it is.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'onhand_amqp') THEN
    CREATE PUBLICATION onhand_amqp FOR TABLE stock_movements WITH (publish = 'insert');
  END IF;
END
$$;
