DROP INDEX "outbox_unpublished_idx";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "held_for_run" uuid;--> statement-breakpoint
CREATE INDEX "outbox_held_idx" ON "outbox" USING btree ("held_for_run","id") WHERE "outbox"."held_for_run" is not null;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" is null and "outbox"."held_for_run" is null;