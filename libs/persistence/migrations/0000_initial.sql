CREATE TABLE "connectwise_credentials" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"site" text NOT NULL,
	"company_id" text NOT NULL,
	"public_key" text NOT NULL,
	"private_key_ciphertext" "bytea" NOT NULL,
	"private_key_iv" "bytea" NOT NULL,
	"private_key_tag" "bytea" NOT NULL,
	"encryption_key_id" text NOT NULL,
	"connectwise_version" text,
	"validated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "export_settings" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"mode" text DEFAULT 'manual' NOT NULL,
	"daily_time" text,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"export_products" boolean DEFAULT true NOT NULL,
	"export_quantity" boolean DEFAULT true NOT NULL,
	"export_cost" boolean DEFAULT false NOT NULL,
	"export_retail_price" boolean DEFAULT false NOT NULL,
	"export_users_list" boolean DEFAULT true NOT NULL,
	"disappeared_sku" text DEFAULT 'zero' NOT NULL,
	"catalog_subcategory_id" integer,
	"product_type_id" integer,
	"unit_of_measure_id" integer,
	"agreement_type_id" integer,
	"billing_cycle_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'not_configured' NOT NULL,
	"attention_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account_mappings" (
	"partner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"account_name" text NOT NULL,
	"state" text DEFAULT 'unmapped' NOT NULL,
	"company_id" integer,
	"company_name" text,
	"agreement_id" integer,
	"agreement_name" text,
	"export_enabled" boolean DEFAULT false NOT NULL,
	"suggested_company_id" integer,
	"suggested_company_name" text,
	"suggestion_score" double precision,
	"suggestion_reason" text,
	"manual_choice_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_mappings_partner_id_account_id_pk" PRIMARY KEY("partner_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "export_log" (
	"run_id" uuid NOT NULL,
	"partner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"account_name" text NOT NULL,
	"status" text NOT NULL,
	"operations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" jsonb,
	"attempts" integer DEFAULT 1 NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_log_run_id_account_id_pk" PRIMARY KEY("run_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"routing_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"trigger" text NOT NULL,
	"scheduled_for_date" date,
	"status" text DEFAULT 'queued' NOT NULL,
	"total_accounts" integer DEFAULT 0 NOT NULL,
	"done_accounts" integer DEFAULT 0 NOT NULL,
	"changed_accounts" integer DEFAULT 0 NOT NULL,
	"unchanged_accounts" integer DEFAULT 0 NOT NULL,
	"failed_accounts" integer DEFAULT 0 NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "addition_ownership" (
	"partner_id" text NOT NULL,
	"agreement_id" integer NOT NULL,
	"sku" text NOT NULL,
	"account_id" text NOT NULL,
	"addition_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "addition_ownership_partner_id_agreement_id_sku_pk" PRIMARY KEY("partner_id","agreement_id","sku")
);
--> statement-breakpoint
CREATE TABLE "catalog_items" (
	"partner_id" text NOT NULL,
	"sku" text NOT NULL,
	"catalog_item_id" integer NOT NULL,
	"identifier" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_items_partner_id_sku_pk" PRIMARY KEY("partner_id","sku")
);
--> statement-breakpoint
CREATE TABLE "users_csv_documents" (
	"partner_id" text NOT NULL,
	"agreement_id" integer NOT NULL,
	"document_id" integer NOT NULL,
	"sha256" text NOT NULL,
	"attached_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_csv_documents_partner_id_agreement_id_pk" PRIMARY KEY("partner_id","agreement_id")
);
--> statement-breakpoint
ALTER TABLE "connectwise_credentials" ADD CONSTRAINT "connectwise_credentials_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_settings" ADD CONSTRAINT "export_settings_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_mappings" ADD CONSTRAINT "account_mappings_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_log" ADD CONSTRAINT "export_log_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_mappings_partner_state_idx" ON "account_mappings" USING btree ("partner_id","state");--> statement-breakpoint
CREATE INDEX "account_mappings_partner_name_idx" ON "account_mappings" USING btree ("partner_id","account_name");--> statement-breakpoint
CREATE INDEX "export_log_run_status_idx" ON "export_log" USING btree ("run_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_message_id_uq" ON "outbox" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "runs_scheduled_once_per_day_uq" ON "runs" USING btree ("partner_id","scheduled_for_date") WHERE "runs"."trigger" = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "runs_one_active_per_partner_uq" ON "runs" USING btree ("partner_id") WHERE "runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "runs_partner_created_idx" ON "runs" USING btree ("partner_id","created_at");