import { Injectable } from '@nestjs/common';
import type { ConnectWiseClient } from '@cwx/connectwise';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import type { ConnectWiseOptionResponseDto, ConnectWiseOptionsResponseDto } from './settings.dto';

interface Named {
  id?: number;
  name?: string;
  inactiveFlag?: boolean | null;
}

function toOptions(rows: readonly Named[], parentName?: (row: Named) => string | undefined): ConnectWiseOptionResponseDto[] {
  return rows
    .filter((r): r is Named & { id: number } => typeof r.id === 'number' && r.inactiveFlag !== true)
    .map((r) => {
      const parent = parentName?.(r);
      return { id: r.id, name: r.name ?? String(r.id), ...(parent ? { parentName: parent } : {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The lists the settings step chooses ConnectWise defaults from, read live from the partner's ConnectWise. */
@Injectable()
export class GetConnectWiseOptions {
  constructor(private readonly clients: ConnectWiseClients) {}

  async execute(command: { partnerId: string }): Promise<ConnectWiseOptionsResponseDto> {
    const client = await this.clients.forPartner(command.partnerId);
    return readOptions(client);
  }
}

export async function readOptions(client: ConnectWiseClient): Promise<ConnectWiseOptionsResponseDto> {
  return callConnectWise('reading the ConnectWise setup lists', async () => {
    const [subcategories, productTypes, units, agreementTypes, billingCycles] = await Promise.all([
      client.procurement.listSubcategories(),
      client.procurement.listProductTypes(),
      client.procurement.listUnitsOfMeasure(),
      client.agreements.listTypes(),
      client.agreements.listBillingCycles(),
    ]);
    return {
      catalogSubcategories: toOptions(subcategories, (r) => (r as { category?: { name?: string } }).category?.name),
      productTypes: toOptions(productTypes),
      unitsOfMeasure: toOptions(units),
      agreementTypes: toOptions(agreementTypes),
      billingCycles: toOptions(billingCycles),
    };
  });
}
