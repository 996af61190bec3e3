import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { RunsModule } from '../runs/runs.module';
import { ReconcileAccounts } from './reconciliation.use-case';
import { ReviewChangesRepository } from './review-changes.repository';
import { ReviewController } from './review.controller';
import { ReviewPoliciesRepository } from './review-policies.repository';
import { ReviewPolicyUseCases, ReviewQueueUseCases } from './review.use-cases';

@Module({
  imports: [PartnersModule, RunsModule, ConnectWiseModule, MappingModule],
  controllers: [ReviewController],
  providers: [ReviewPoliciesRepository, ReviewChangesRepository, ReviewPolicyUseCases, ReviewQueueUseCases, ReconcileAccounts],
  exports: [ReviewChangesRepository],
})
export class ReviewModule {}
