-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner, or a role with CREATE on the database, may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "account_mapping_counts" (
	"partner_id" text NOT NULL,
	"state" text NOT NULL,
	"export_enabled" boolean NOT NULL,
	"accounts" integer NOT NULL,
	CONSTRAINT "account_mapping_counts_partner_id_state_export_enabled_pk" PRIMARY KEY("partner_id","state","export_enabled")
);
--> statement-breakpoint
CREATE TABLE "account_mapping_revisions" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "account_mappings_partner_state_idx";--> statement-breakpoint
DROP INDEX "account_mappings_partner_name_idx";--> statement-breakpoint
ALTER TABLE "account_mappings" ADD COLUMN "name_search" text GENERATED ALWAYS AS (lower(account_name)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "account_mappings_partner_state_name_idx" ON "account_mappings" USING btree ("partner_id","state","account_name","account_id","name_search");--> statement-breakpoint
CREATE INDEX "account_mappings_partner_name_id_idx" ON "account_mappings" USING btree ("partner_id","account_name","account_id","name_search");--> statement-breakpoint
CREATE INDEX "account_mappings_name_search_trgm_idx" ON "account_mappings" USING gin ("name_search" gin_trgm_ops);--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers). One statement-level trigger per event, because a
-- trigger with transition tables may fire on one event only (and only the trigger function itself sees them).
-- Each folds the statement's rows into one upsert per (partner, state, Export flag), so a bulk insert of
-- 10,000 accounts costs one upsert and a rename none, and bumps the revision of every partner it touched
-- (a rename included: it changes what a search finds).
CREATE FUNCTION account_mappings_counted_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_mapping_counts AS c (partner_id, state, export_enabled, accounts)
    SELECT partner_id, state, export_enabled, sum(d)::integer
    FROM (SELECT partner_id, state, export_enabled, 1 FROM new_rows) AS changes(partner_id, state, export_enabled, d)
    GROUP BY partner_id, state, export_enabled
    HAVING sum(d) <> 0
    ORDER BY partner_id, state, export_enabled -- one lock order for every writer
  ON CONFLICT (partner_id, state, export_enabled) DO UPDATE SET accounts = c.accounts + excluded.accounts;
  INSERT INTO account_mapping_revisions AS r (partner_id, revision)
    SELECT DISTINCT partner_id, 1 FROM new_rows ORDER BY partner_id
  ON CONFLICT (partner_id) DO UPDATE SET revision = r.revision + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION account_mappings_counted_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_mapping_counts AS c (partner_id, state, export_enabled, accounts)
    SELECT partner_id, state, export_enabled, sum(d)::integer
    FROM (SELECT partner_id, state, export_enabled, -1 FROM old_rows UNION ALL SELECT partner_id, state, export_enabled, 1 FROM new_rows) AS changes(partner_id, state, export_enabled, d)
    GROUP BY partner_id, state, export_enabled
    HAVING sum(d) <> 0
    ORDER BY partner_id, state, export_enabled -- one lock order for every writer
  ON CONFLICT (partner_id, state, export_enabled) DO UPDATE SET accounts = c.accounts + excluded.accounts;
  INSERT INTO account_mapping_revisions AS r (partner_id, revision)
    SELECT DISTINCT partner_id, 1 FROM new_rows ORDER BY partner_id
  ON CONFLICT (partner_id) DO UPDATE SET revision = r.revision + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION account_mappings_counted_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_mapping_counts AS c (partner_id, state, export_enabled, accounts)
    SELECT partner_id, state, export_enabled, sum(d)::integer
    FROM (SELECT partner_id, state, export_enabled, -1 FROM old_rows) AS changes(partner_id, state, export_enabled, d)
    GROUP BY partner_id, state, export_enabled
    HAVING sum(d) <> 0
    ORDER BY partner_id, state, export_enabled -- one lock order for every writer
  ON CONFLICT (partner_id, state, export_enabled) DO UPDATE SET accounts = c.accounts + excluded.accounts;
  INSERT INTO account_mapping_revisions AS r (partner_id, revision)
    SELECT DISTINCT partner_id, 1 FROM old_rows ORDER BY partner_id
  ON CONFLICT (partner_id) DO UPDATE SET revision = r.revision + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER account_mappings_counted_insert AFTER INSERT ON account_mappings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_counted_insert();--> statement-breakpoint
CREATE TRIGGER account_mappings_counted_update AFTER UPDATE ON account_mappings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_counted_update();--> statement-breakpoint
CREATE TRIGGER account_mappings_counted_delete AFTER DELETE ON account_mappings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_counted_delete();--> statement-breakpoint
-- TRUNCATE fires no row-set triggers: the counts follow it.
CREATE FUNCTION account_mappings_counted_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM account_mapping_counts;
  UPDATE account_mapping_revisions SET revision = revision + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER account_mappings_counted_truncate AFTER TRUNCATE ON account_mappings
  FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_counted_truncate();--> statement-breakpoint
INSERT INTO account_mapping_counts (partner_id, state, export_enabled, accounts)
  SELECT partner_id, state, export_enabled, count(*)::integer FROM account_mappings GROUP BY partner_id, state, export_enabled;--> statement-breakpoint
INSERT INTO account_mapping_revisions (partner_id, revision)
  SELECT DISTINCT partner_id, 1 FROM account_mappings;
