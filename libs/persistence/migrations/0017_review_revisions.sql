CREATE TABLE "review_revisions" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
CREATE SEQUENCE "review_revision_seq";--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers). Every statement that writes review_changes gives each partner
-- it touched a new revision, in its own transaction: a reader that keeps a page of the queue with the revision it was
-- read at (apps/control-plane/src/review/review-page-cache.ts) serves it again only while the revision is unchanged.
-- One function for the three events (a trigger with transition tables fires on one event only; PL/pgSQL plans each
-- statement when it first runs it, so the branch of another event never names a table this event lacks). It takes the
-- partner's review lock first, as the totals' triggers of migration 0015 do, so the revision row is always written
-- under that lock whichever trigger fires first. Revisions come from one sequence: never reused, also after TRUNCATE.
CREATE FUNCTION review_changes_revised() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  partners text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT partner_id ORDER BY partner_id) INTO partners FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT partner_id ORDER BY partner_id) INTO partners
      FROM (SELECT partner_id FROM old_rows UNION ALL SELECT partner_id FROM new_rows) AS touched;
  ELSE
    SELECT array_agg(DISTINCT partner_id ORDER BY partner_id) INTO partners FROM old_rows;
  END IF;
  IF partners IS NULL THEN
    RETURN NULL; -- the statement wrote no row
  END IF;
  PERFORM lock_partner_review(partner) FROM unnest(partners) WITH ORDINALITY AS p(partner, n) ORDER BY n;
  INSERT INTO review_revisions AS r (partner_id, revision)
    SELECT partner, nextval('review_revision_seq') FROM unnest(partners) AS p(partner) ORDER BY partner
  ON CONFLICT (partner_id) DO UPDATE SET revision = excluded.revision;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER review_changes_revised_insert AFTER INSERT ON review_changes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_revised();--> statement-breakpoint
CREATE TRIGGER review_changes_revised_update AFTER UPDATE ON review_changes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_revised();--> statement-breakpoint
CREATE TRIGGER review_changes_revised_delete AFTER DELETE ON review_changes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_changes_revised();--> statement-breakpoint
-- TRUNCATE fires no row-set triggers: every partner loses its revision (a reader then keeps nothing until the next write).
CREATE FUNCTION review_changes_revised_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM review_revisions;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER review_changes_revised_truncate AFTER TRUNCATE ON review_changes
  FOR EACH STATEMENT EXECUTE FUNCTION review_changes_revised_truncate();--> statement-breakpoint
INSERT INTO review_revisions (partner_id, revision)
  SELECT partner_id, nextval('review_revision_seq') FROM (SELECT DISTINCT partner_id FROM review_changes) AS partners;
