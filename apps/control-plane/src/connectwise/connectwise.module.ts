import { Module } from '@nestjs/common';
import { ConnectWiseClients } from './connectwise-clients';
import { PartnerBudget } from './partner-budget';

@Module({ providers: [ConnectWiseClients, PartnerBudget], exports: [ConnectWiseClients, PartnerBudget] })
export class ConnectWiseModule {}
