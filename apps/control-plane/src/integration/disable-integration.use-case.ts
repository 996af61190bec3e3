import { Injectable } from '@nestjs/common';
import { AppError } from '../http/app-error';
import { PartnersRepository } from '../partners/partners.repository';
import type { DisableIntegrationResponseDto } from './integration-status.dto';

export const NOTHING_DELETED_NOTICE =
  'Nothing was deleted in ConnectWise. Mappings and logs are kept; enter credentials again to enable.';

/**
 * Disable stops the schedule (a disabled integration never starts a run), erases the stored keys and
 * keeps mappings and logs. Nothing in ConnectWise is touched.
 */
@Injectable()
export class DisableIntegration {
  constructor(private readonly partners: PartnersRepository) {}

  async execute(command: { partnerId: string }): Promise<DisableIntegrationResponseDto> {
    if (!(await this.partners.disableIntegration(command.partnerId))) throw AppError.notFound(`Partner ${command.partnerId}`);
    return { state: 'disabled', notice: NOTHING_DELETED_NOTICE };
  }
}
