import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { PreviewQueryDto, PreviewResponseDto } from './preview.dto';
import { PreviewExport } from './preview.use-case';

@ApiTags('runs')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/preview')
export class PreviewController {
  constructor(private readonly preview: PreviewExport) {}

  @Get()
  @ApiOperation({
    summary: 'The plan of an export for one account or a page of the exported accounts, without applying it.',
    description: 'Reads ConnectWise and the platform; writes nothing anywhere.',
  })
  @ApiOkResponse({ type: PreviewResponseDto })
  get(@Param('partnerId') partnerId: string, @Query() query: PreviewQueryDto): Promise<PreviewResponseDto> {
    return this.preview.execute({ partnerId, ...query });
  }
}
