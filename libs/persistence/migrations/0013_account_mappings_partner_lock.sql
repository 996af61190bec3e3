-- Written by hand (issue 14): the rule of libs/persistence/src/partner-transaction.ts, enforced by the database.
-- A transaction that writes a partner's account_mappings rows in more than one statement must first lock all
-- of that partner's rows (lockPartnerAccounts, which inPartnerTransaction runs), or it can deadlock with a
-- single-row edit through the counts triggers of 0005. The lock records the partner in the transaction-local
-- setting cwx.mapping_locked; each write statement records the partners it wrote in cwx.mapping_written, and
-- the second statement for a partner that is not locked fails. Single statements (one row or many) stay free.
-- One trigger per event, for the transition tables (as in 0005); they share the function.
CREATE FUNCTION account_mappings_partner_lock_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  written text := coalesce(current_setting('cwx.mapping_written', true), '');
  locked text := coalesce(current_setting('cwx.mapping_locked', true), '');
  partner text;
BEGIN
  FOR partner IN SELECT DISTINCT partner_id FROM changed_rows LOOP
    IF strpos(written, ',' || partner || ',') > 0 THEN
      IF strpos(locked, ',' || partner || ',') = 0 THEN
        RAISE EXCEPTION 'account_mappings: this transaction writes partner %''s rows in several statements without locking them first (use inPartnerTransaction)', partner
          USING ERRCODE = 'P0001', HINT = 'libs/persistence/src/partner-transaction.ts';
      END IF;
    ELSE
      written := written || ',' || partner || ',';
    END IF;
  END LOOP;
  PERFORM set_config('cwx.mapping_written', written, true);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER account_mappings_partner_lock_insert AFTER INSERT ON account_mappings
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_partner_lock_check();--> statement-breakpoint
CREATE TRIGGER account_mappings_partner_lock_update AFTER UPDATE ON account_mappings
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_partner_lock_check();--> statement-breakpoint
CREATE TRIGGER account_mappings_partner_lock_delete AFTER DELETE ON account_mappings
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION account_mappings_partner_lock_check();
