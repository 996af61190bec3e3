import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { CredentialsResponseDto, SaveCredentialsRequestDto } from './credentials.dto';
import { GetCredentials } from './get-credentials.use-case';
import { SaveCredentials } from './save-credentials.use-case';

@ApiTags('credentials')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/integration/credentials')
export class CredentialsController {
  constructor(
    private readonly save: SaveCredentials,
    private readonly get: GetCredentials,
  ) {}

  @Put()
  @ApiOperation({
    summary: 'Step 1: validate ConnectWise credentials live, then store them (private key encrypted).',
    description:
      'Refusals name the problem in `problem`: site_not_allowed, site_unreachable (502), unknown_company, wrong_keys, ' +
      'missing_permissions (with `missingPermissions`), connectwise_error.',
  })
  @ApiOkResponse({ type: CredentialsResponseDto })
  saveCredentials(@Param('partnerId') partnerId: string, @Body() body: SaveCredentialsRequestDto): Promise<CredentialsResponseDto> {
    return this.save.execute({ partnerId, credentials: body });
  }

  @Get()
  @ApiOperation({ summary: 'The stored credentials, with the private key masked.' })
  @ApiOkResponse({ type: CredentialsResponseDto })
  getCredentials(@Param('partnerId') partnerId: string): Promise<CredentialsResponseDto> {
    return this.get.execute({ partnerId });
  }
}
