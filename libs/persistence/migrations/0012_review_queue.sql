CREATE TABLE "review_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"account_name" text NOT NULL,
	"agreement_id" integer NOT NULL,
	"sku" text NOT NULL,
	"addition_id" integer,
	"fingerprint" text NOT NULL,
	"classes" text[] NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL,
	"monthly_amount" double precision,
	"status" text DEFAULT 'pending' NOT NULL,
	"adjusted_quantity" double precision,
	"adjusted_effective_date" date,
	"first_seen_on" date NOT NULL,
	"waiting_since" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run_id" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"applied_run_id" text,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"change_id" integer NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"detail" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_policies" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "written_lines" (
	"partner_id" text NOT NULL,
	"agreement_id" integer NOT NULL,
	"addition_id" integer NOT NULL,
	"quantity" double precision,
	"unit_price" double precision,
	"unit_cost" double precision,
	"cancelled_date" text,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "written_lines_partner_id_agreement_id_addition_id_pk" PRIMARY KEY("partner_id","agreement_id","addition_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "review_changes_line_value" ON "review_changes" USING btree ("partner_id","agreement_id","sku","fingerprint");--> statement-breakpoint
CREATE INDEX "review_changes_queue" ON "review_changes" USING btree ("partner_id","status","waiting_since");--> statement-breakpoint
CREATE INDEX "review_decisions_partner" ON "review_decisions" USING btree ("partner_id","at");