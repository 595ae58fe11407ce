-- Barcode lookups (a scan, an import's batch check) read the products_barcodes_idx GIN index. With fastupdate its
-- new entries wait in a pending list that every lookup scans whole until a vacuum merges it: after a large import
-- in one transaction each lookup took about a millisecond, and an import's checks grew quadratic. A product has a
-- handful of codes, so entering them straight into the index costs little.
ALTER INDEX "products_barcodes_idx" SET (fastupdate = off);--> statement-breakpoint
SELECT gin_clean_pending_list('products_barcodes_idx'::regclass);
