CREATE INDEX "stock_movements_actor_idx" ON "stock_movements" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "stock_movements_kind_idx" ON "stock_movements" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "stock_movements_reference_idx" ON "stock_movements" USING btree ("reference_id","id") WHERE "stock_movements"."reference_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "stock_movements_command_idx" ON "stock_movements" USING btree ("command_id");