import { Module } from '@nestjs/common';
import { ConnectWiseClients } from './connectwise-clients';

@Module({ providers: [ConnectWiseClients], exports: [ConnectWiseClients] })
export class ConnectWiseModule {}
