import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { GetConnectWiseOptions } from './connectwise-options.use-case';
import { ConnectWiseOptionsResponseDto, SaveSettingsRequestDto, SettingsResponseDto } from './settings.dto';
import { GetSettings, SaveSettings } from './settings.use-cases';

@ApiTags('settings')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/integration')
export class SettingsController {
  constructor(
    private readonly get: GetSettings,
    private readonly save: SaveSettings,
    private readonly options: GetConnectWiseOptions,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: 'Step 2: the export settings (defaults with version 0 until first saved).' })
  @ApiOkResponse({ type: SettingsResponseDto })
  getSettings(@Param('partnerId') partnerId: string): Promise<SettingsResponseDto> {
    return this.get.execute({ partnerId });
  }

  @Put('settings')
  @ApiOperation({
    summary: 'Step 2: save the export settings.',
    description: 'Send the `version` last read once settings exist; a stale version gets 409 `version_mismatch`.',
  })
  @ApiOkResponse({ type: SettingsResponseDto })
  saveSettings(@Param('partnerId') partnerId: string, @Body() body: SaveSettingsRequestDto): Promise<SettingsResponseDto> {
    return this.save.execute({ partnerId, request: body });
  }

  @Get('connectwise-options')
  @ApiOperation({ summary: 'The ConnectWise lists the defaults are chosen from, read live.' })
  @ApiOkResponse({ type: ConnectWiseOptionsResponseDto })
  connectwiseOptions(@Param('partnerId') partnerId: string): Promise<ConnectWiseOptionsResponseDto> {
    return this.options.execute({ partnerId });
  }
}
