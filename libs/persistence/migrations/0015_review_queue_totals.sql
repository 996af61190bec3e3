CREATE TABLE "review_change_totals" (
	"partner_id" text NOT NULL,
	"status" text NOT NULL,
	"sku" text NOT NULL,
	"classes" text[] NOT NULL,
	"changes" integer NOT NULL,
	"monthly_added" numeric NOT NULL,
	"monthly_removed" numeric NOT NULL,
	"unpriced" integer NOT NULL,
	CONSTRAINT "review_change_totals_partner_id_status_sku_classes_pk" PRIMARY KEY("partner_id","status","sku","classes")
);
--> statement-breakpoint
CREATE INDEX "review_changes_pending_idx" ON "review_changes" USING btree ("partner_id","waiting_since","id","account_id","sku","classes") WHERE "review_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "review_changes_account_idx" ON "review_changes" USING btree ("partner_id","account_id","status");--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers), as the account counts of migration 0005: one statement-level
-- trigger per event, each folding the statement's rows into one upsert per (partner, status, SKU, classes). Unlike
-- the account counts, a partner's totals are written by several transactions of several statements each (a worker
-- recording an account's queue, a run marking changes applied, a person deciding in bulk), which would lock totals
-- rows in different orders across statements: so a write first takes the partner's review lock (a transaction-level
-- advisory lock, held to commit), and the writers of several statements take it before their first write
-- (lockPartnerReview in @cwx/persistence), so no transaction waits for it while holding rows of review_changes.
CREATE FUNCTION lock_partner_review(partner text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('review_changes/' || partner, 0))
$$;--> statement-breakpoint
CREATE FUNCTION review_changes_totalled_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_partner_review(partner_id) FROM (SELECT DISTINCT partner_id FROM new_rows ORDER BY partner_id) AS p;
  INSERT INTO review_change_totals AS t (partner_id, status, sku, classes, changes, monthly_added, monthly_removed, unpriced)
    SELECT partner_id, status, sku, classes, sum(d)::integer,
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0),
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0),
      coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0)::integer
    FROM (SELECT partner_id, status, sku, classes, monthly_amount, 1 FROM new_rows) AS changes(partner_id, status, sku, classes, monthly_amount, d)
    GROUP BY partner_id, status, sku, classes
    HAVING sum(d) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0) <> 0
      OR coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0) <> 0
    ORDER BY partner_id, status, sku, classes -- one lock order for every writer
  ON CONFLICT (partner_id, status, sku, classes) DO UPDATE SET
    changes = t.changes + excluded.changes,
    monthly_added = t.monthly_added + excluded.monthly_added,
    monthly_removed = t.monthly_removed + excluded.monthly_removed,
    unpriced = t.unpriced + excluded.unpriced;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION review_changes_totalled_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_partner_review(partner_id) FROM (SELECT partner_id FROM old_rows UNION SELECT partner_id FROM new_rows ORDER BY partner_id) AS p;
  INSERT INTO review_change_totals AS t (partner_id, status, sku, classes, changes, monthly_added, monthly_removed, unpriced)
    SELECT partner_id, status, sku, classes, sum(d)::integer,
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0),
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0),
      coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0)::integer
    FROM (SELECT partner_id, status, sku, classes, monthly_amount, -1 FROM old_rows UNION ALL SELECT partner_id, status, sku, classes, monthly_amount, 1 FROM new_rows) AS changes(partner_id, status, sku, classes, monthly_amount, d)
    GROUP BY partner_id, status, sku, classes
    HAVING sum(d) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0) <> 0
      OR coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0) <> 0
    ORDER BY partner_id, status, sku, classes -- one lock order for every writer
  ON CONFLICT (partner_id, status, sku, classes) DO UPDATE SET
    changes = t.changes + excluded.changes,
    monthly_added = t.monthly_added + excluded.monthly_added,
    monthly_removed = t.monthly_removed + excluded.monthly_removed,
    unpriced = t.unpriced + excluded.unpriced;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION review_changes_totalled_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_partner_review(partner_id) FROM (SELECT DISTINCT partner_id FROM old_rows ORDER BY partner_id) AS p;
  INSERT INTO review_change_totals AS t (partner_id, status, sku, classes, changes, monthly_added, monthly_removed, unpriced)
    SELECT partner_id, status, sku, classes, sum(d)::integer,
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0),
      coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0),
      coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0)::integer
    FROM (SELECT partner_id, status, sku, classes, monthly_amount, -1 FROM old_rows) AS changes(partner_id, status, sku, classes, monthly_amount, d)
    GROUP BY partner_id, status, sku, classes
    HAVING sum(d) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0) <> 0
      OR coalesce(sum(d * monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0) <> 0
      OR coalesce(sum(d) FILTER (WHERE monthly_amount IS NULL), 0) <> 0
    ORDER BY partner_id, status, sku, classes -- one lock order for every writer
  ON CONFLICT (partner_id, status, sku, classes) DO UPDATE SET
    changes = t.changes + excluded.changes,
    monthly_added = t.monthly_added + excluded.monthly_added,
    monthly_removed = t.monthly_removed + excluded.monthly_removed,
    unpriced = t.unpriced + excluded.unpriced;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER review_changes_totalled_insert AFTER INSERT ON review_changes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_totalled_insert();--> statement-breakpoint
CREATE TRIGGER review_changes_totalled_update AFTER UPDATE ON review_changes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_totalled_update();--> statement-breakpoint
CREATE TRIGGER review_changes_totalled_delete AFTER DELETE ON review_changes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_totalled_delete();--> statement-breakpoint
-- TRUNCATE fires no row-set triggers: the totals follow it.
CREATE FUNCTION review_changes_totalled_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM review_change_totals;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER review_changes_totalled_truncate AFTER TRUNCATE ON review_changes
  FOR EACH STATEMENT EXECUTE FUNCTION review_changes_totalled_truncate();--> statement-breakpoint
INSERT INTO review_change_totals (partner_id, status, sku, classes, changes, monthly_added, monthly_removed, unpriced)
  SELECT partner_id, status, sku, classes, count(*)::integer,
    coalesce(sum(monthly_amount::numeric) FILTER (WHERE monthly_amount > 0), 0),
    coalesce(sum(monthly_amount::numeric) FILTER (WHERE monthly_amount < 0), 0),
    (count(*) FILTER (WHERE monthly_amount IS NULL))::integer
  FROM review_changes GROUP BY partner_id, status, sku, classes;
