import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { StatementsController } from './statements.controller';
import { GetAccountStatement, SendAccountStatement } from './statements.use-cases';

/** An account's usage statement: read live from the platform as CSV or HTML, or queued as an e-mail. */
@Module({
  imports: [PartnersModule, MappingModule],
  controllers: [StatementsController],
  providers: [GetAccountStatement, SendAccountStatement],
})
export class StatementsModule {}
