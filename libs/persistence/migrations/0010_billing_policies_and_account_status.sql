ALTER TABLE "export_settings" ADD COLUMN "missing_retail_price" text DEFAULT 'fail-line' NOT NULL;--> statement-breakpoint
ALTER TABLE "export_settings" ADD COLUMN "suspended_accounts" text DEFAULT 'zero' NOT NULL;--> statement-breakpoint
ALTER TABLE "export_settings" ADD COLUMN "cancelled_accounts" text DEFAULT 'zero' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_mappings" ADD COLUMN "platform_status" text DEFAULT 'active' NOT NULL;