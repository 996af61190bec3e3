import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { PartnersModule } from '../partners/partners.module';
import { CredentialsController } from './credentials.controller';
import { GetCredentials } from './get-credentials.use-case';
import { SaveCredentials } from './save-credentials.use-case';

@Module({
  imports: [PartnersModule, ConnectWiseModule],
  controllers: [CredentialsController],
  providers: [SaveCredentials, GetCredentials],
})
export class CredentialsModule {}
