ALTER TABLE "users_csv_documents" ALTER COLUMN "document_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users_csv_documents" ALTER COLUMN "sha256" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users_csv_documents" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "users_csv_documents" ADD COLUMN "pending_sha256" text;