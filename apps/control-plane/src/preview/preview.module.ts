import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { PreviewController } from './preview.controller';
import { PreviewExport } from './preview.use-case';

@Module({
  imports: [PartnersModule, ConnectWiseModule, MappingModule],
  controllers: [PreviewController],
  providers: [PreviewExport],
})
export class PreviewModule {}
