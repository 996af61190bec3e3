ALTER TABLE "users_csv_documents" ADD COLUMN "file_name" text;--> statement-breakpoint
ALTER TABLE "users_csv_documents" ADD COLUMN "missing_at" timestamp with time zone;