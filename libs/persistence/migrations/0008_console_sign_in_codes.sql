CREATE TABLE "console_sign_in_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"principal" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
