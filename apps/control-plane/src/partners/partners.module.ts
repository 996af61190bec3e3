import { Module } from '@nestjs/common';
import { PartnerProvisioningInterceptor } from './partner-provisioning.interceptor';
import { PartnersRepository } from './partners.repository';

@Module({
  providers: [PartnersRepository, PartnerProvisioningInterceptor],
  exports: [PartnersRepository, PartnerProvisioningInterceptor],
})
export class PartnersModule {}
