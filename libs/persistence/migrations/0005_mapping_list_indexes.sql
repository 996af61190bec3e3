-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner, or a role with CREATE on the database, may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "account_mappings_partner_state_idx";--> statement-breakpoint
DROP INDEX "account_mappings_partner_name_idx";--> statement-breakpoint
CREATE INDEX "account_mappings_partner_state_name_idx" ON "account_mappings" USING btree ("partner_id","state","account_name","account_id");--> statement-breakpoint
CREATE INDEX "account_mappings_partner_name_id_idx" ON "account_mappings" USING btree ("partner_id","account_name","account_id");--> statement-breakpoint
CREATE INDEX "account_mappings_name_trgm_idx" ON "account_mappings" USING gin ("account_name" gin_trgm_ops);