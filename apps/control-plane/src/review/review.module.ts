import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { RunsModule } from '../runs/runs.module';
import { ReconcileAccounts } from './reconciliation.use-case';
import { ReviewController } from './review.controller';
import { ReviewPolicyUseCases, ReviewQueueUseCases } from './review.use-cases';

@Module({
  imports: [PartnersModule, RunsModule, ConnectWiseModule, MappingModule],
  controllers: [ReviewController],
  providers: [ReviewPolicyUseCases, ReviewQueueUseCases, ReconcileAccounts],
})
export class ReviewModule {}
