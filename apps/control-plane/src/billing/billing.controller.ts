import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { AccountBillingResponseDto, ProductMappingsResponseDto, SaveAccountBillingRequestDto, SaveProductMappingsRequestDto } from './billing.dto';
import { AccountBillingUseCases, ProductMappingsUseCases } from './billing.use-cases';

@ApiTags('billing')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId')
export class BillingController {
  constructor(
    private readonly products: ProductMappingsUseCases,
    private readonly accounts: AccountBillingUseCases,
  ) {}

  @Get('billing/products')
  @ApiOperation({ summary: 'Product mapping: what each platform SKU becomes in ConnectWise, its price rule, and how bundles count.' })
  @ApiOkResponse({ type: ProductMappingsResponseDto })
  getProducts(@Param('partnerId') partnerId: string): Promise<ProductMappingsResponseDto> {
    return this.products.get(partnerId);
  }

  @Put('billing/products')
  @ApiOperation({
    summary: 'Replace the product mapping and bundle rules.',
    description: 'The next run moves the lines: the old item\'s line is zeroed or cancelled (the disappeared-SKU policy), the new one created or adopted; nothing is duplicated or deleted.',
  })
  @ApiOkResponse({ type: ProductMappingsResponseDto })
  saveProducts(@Param('partnerId') partnerId: string, @Body() body: SaveProductMappingsRequestDto): Promise<ProductMappingsResponseDto> {
    return this.products.save(partnerId, body);
  }

  @Get('accounts/:accountId/billing')
  @ApiOperation({ summary: "One account's price rules, exclusions and included quantities (version 0 until first saved)." })
  @ApiOkResponse({ type: AccountBillingResponseDto })
  getAccount(@Param('partnerId') partnerId: string, @Param('accountId') accountId: string): Promise<AccountBillingResponseDto> {
    return this.accounts.get(partnerId, accountId);
  }

  @Put('accounts/:accountId/billing')
  @ApiOperation({ summary: "Save one account's price rules, exclusions and included quantities.", description: 'Send the `version` last read; a stale one gets 409 `version_mismatch`.' })
  @ApiOkResponse({ type: AccountBillingResponseDto })
  saveAccount(@Param('partnerId') partnerId: string, @Param('accountId') accountId: string, @Body() body: SaveAccountBillingRequestDto): Promise<AccountBillingResponseDto> {
    return this.accounts.save(partnerId, accountId, body);
  }
}
