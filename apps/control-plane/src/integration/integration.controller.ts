import { Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { DisableIntegration } from './disable-integration.use-case';
import { DisableIntegrationResponseDto, IntegrationStatusResponseDto } from './integration-status.dto';
import { GetIntegrationStatus } from './integration-status.use-case';

@ApiTags('integration')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/integration')
export class IntegrationController {
  constructor(
    private readonly getStatus: GetIntegrationStatus,
    private readonly disable: DisableIntegration,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Integration status: state, next scheduled export (local and UTC), last export summary.' })
  @ApiOkResponse({ type: IntegrationStatusResponseDto })
  status(@Param('partnerId') partnerId: string): Promise<IntegrationStatusResponseDto> {
    return this.getStatus.execute({ partnerId });
  }

  @Post('disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable: stops the schedule and erases the stored keys; deletes nothing in ConnectWise.' })
  @ApiOkResponse({ type: DisableIntegrationResponseDto })
  disableIntegration(@Param('partnerId') partnerId: string): Promise<DisableIntegrationResponseDto> {
    return this.disable.execute({ partnerId });
  }
}
