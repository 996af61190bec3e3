import { Controller, Get, Injectable, Param, ParseIntPipe, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { cwAnd, cwContains, cwEquals, type Company } from '@cwx/connectwise';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';

const MAX_RESULTS = 25;

export class CompanySearchQueryDto {
  @ApiPropertyOptional({ description: 'Part of the company name (case-insensitive); empty lists the first companies by name.' })
  @IsOptional() @IsString() @Length(0, 50)
  q?: string;
}

export class ConnectWiseCompanyResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) identifier!: string | null;
}

export class ConnectWiseCompanyListResponseDto {
  @ApiProperty({ type: [ConnectWiseCompanyResponseDto], description: `At most ${MAX_RESULTS}, by name.` })
  items!: ConnectWiseCompanyResponseDto[];
}

export class ConnectWiseAgreementResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) typeName!: string | null;
}

export class ConnectWiseAgreementListResponseDto {
  @ApiProperty({ type: [ConnectWiseAgreementResponseDto], description: "The company's agreements that are not cancelled." })
  items!: ConnectWiseAgreementResponseDto[];
}

/** Read live for the mapping page's pickers (type-ahead): companies by name, a company's agreements. */
@Injectable()
export class ConnectWiseLookup {
  constructor(private readonly clients: ConnectWiseClients) {}

  async companies(partnerId: string, q: string | undefined): Promise<ConnectWiseCompanyListResponseDto> {
    const client = await this.clients.forPartner(partnerId);
    const text = q?.trim().replace(/["']/g, '') ?? '';
    const rows = await callConnectWise('searching companies', async () => {
      const found: Company[] = [];
      const pages = client.companies.iterate({
        conditions: cwAnd(cwEquals('deletedFlag', false), text ? cwContains('name', text) : undefined),
        orderBy: 'name asc',
        fields: ['id', 'name', 'identifier'],
        pageSize: MAX_RESULTS,
      });
      for await (const company of pages) {
        found.push(company);
        if (found.length >= MAX_RESULTS) break; // one page: the iterator stops reading when we stop asking
      }
      return found;
    });
    return { items: rows.filter((r) => typeof r.id === 'number').map((r) => ({ id: r.id as number, name: r.name ?? String(r.id), identifier: r.identifier ?? null })) };
  }

  async agreements(partnerId: string, companyId: number): Promise<ConnectWiseAgreementListResponseDto> {
    const client = await this.clients.forPartner(partnerId);
    const rows = await callConnectWise("reading the company's agreements", () => client.agreements.listByCompany(companyId));
    return {
      items: rows
        .filter((r) => typeof r.id === 'number' && !r.cancelledFlag)
        .map((r) => ({ id: r.id as number, name: r.name ?? String(r.id), typeName: (r as { type?: { name?: string } }).type?.name ?? null })),
    };
  }
}

@ApiTags('mapping')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId/connectwise')
export class ConnectWiseLookupController {
  constructor(private readonly lookup: ConnectWiseLookup) {}

  @Get('companies')
  @ApiOperation({ summary: 'ConnectWise companies whose name contains `q` (type-ahead for the mapping page), read live.' })
  @ApiOkResponse({ type: ConnectWiseCompanyListResponseDto })
  companies(@Param('partnerId') partnerId: string, @Query() query: CompanySearchQueryDto): Promise<ConnectWiseCompanyListResponseDto> {
    return this.lookup.companies(partnerId, query.q);
  }

  @Get('companies/:companyId/agreements')
  @ApiOperation({ summary: "A ConnectWise company's agreements that are not cancelled, read live." })
  @ApiOkResponse({ type: ConnectWiseAgreementListResponseDto })
  agreements(@Param('partnerId') partnerId: string, @Param('companyId', ParseIntPipe) companyId: number): Promise<ConnectWiseAgreementListResponseDto> {
    return this.lookup.agreements(partnerId, companyId);
  }
}
