CREATE TABLE "billing_accounts" (
	"partner_id" text NOT NULL,
	"account_id" text NOT NULL,
	"prices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"exclusions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"included" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_accounts_partner_id_account_id_pk" PRIMARY KEY("partner_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "billing_bundles" (
	"partner_id" text NOT NULL,
	"catalog_item_id" integer NOT NULL,
	"quantity" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_bundles_partner_id_catalog_item_id_pk" PRIMARY KEY("partner_id","catalog_item_id")
);
--> statement-breakpoint
CREATE TABLE "billing_product_mappings" (
	"partner_id" text NOT NULL,
	"sku" text NOT NULL,
	"term" text DEFAULT 'any' NOT NULL,
	"action" text NOT NULL,
	"catalog_item_id" integer,
	"price_rule" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_product_mappings_partner_id_sku_term_pk" PRIMARY KEY("partner_id","sku","term")
);
--> statement-breakpoint
ALTER TABLE "export_settings" ADD COLUMN "unmapped_skus" text DEFAULT 'create' NOT NULL;