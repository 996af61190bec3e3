CREATE TABLE "suggestion_rejections" (
	"partner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"company_id" integer NOT NULL,
	"account_name" text NOT NULL,
	"company_name" text,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suggestion_rejections_partner_id_account_id_company_id_pk" PRIMARY KEY("partner_id","account_id","company_id")
);
--> statement-breakpoint
ALTER TABLE "account_mappings" ADD COLUMN "suggestion_tier" text;--> statement-breakpoint
ALTER TABLE "account_mappings" ADD COLUMN "suggestion_learned" jsonb;--> statement-breakpoint
ALTER TABLE "account_mappings" ADD COLUMN "suggestion_candidates" jsonb;--> statement-breakpoint
ALTER TABLE "suggestion_rejections" ADD CONSTRAINT "suggestion_rejections_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;