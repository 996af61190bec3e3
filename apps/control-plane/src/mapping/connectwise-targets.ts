import type { Agreement, Company, ConnectWiseClient, Contact, NewRecord } from '@cwx/connectwise';
import { cwAnd, cwEquals, isConnectWiseError } from '@cwx/connectwise';
import { callConnectWise } from '../connectwise/connectwise-clients';
import { AppError, AppErrorCode } from '../http/app-error';
import { badField } from './mapping-errors';

export interface Target {
  id: number;
  name: string | null;
}

/** An existing company, checked to exist and not be deleted. */
export async function existingCompany(client: ConnectWiseClient, companyId: number, field: string): Promise<Target> {
  const company = await readOrNull(() => client.companies.get(companyId), 'reading the company');
  if (!company || company.deletedFlag) throw badField(field, `is not a company in ConnectWise (${companyId})`);
  return { id: companyId, name: company.name ?? null };
}

/** An existing agreement, checked to belong to the company. */
export async function existingAgreement(client: ConnectWiseClient, agreementId: number, companyId: number, field: string): Promise<Target> {
  const agreement = await readOrNull(() => client.agreements.get(agreementId), 'reading the agreement');
  if (!agreement) throw badField(field, `is not an agreement in ConnectWise (${agreementId})`);
  const owner = agreement.company?.id;
  if (owner !== companyId) throw badField(field, `belongs to company ${owner ?? '?'}, not to company ${companyId}`);
  if (agreement.cancelledFlag) throw badField(field, `is a cancelled agreement (${agreementId})`);
  return { id: agreementId, name: agreement.name ?? null };
}

export interface NewCompany {
  name: string;
  identifier?: string;
  addressLine1?: string;
  city?: string;
  state?: string;
  zip?: string;
}

/** ConnectWise identifiers are letters and digits, at most 25 (API-NOTES §10.2). */
export function identifierFromName(name: string): string {
  const squashed = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 25);
  return squashed || 'Company';
}

export async function createCompany(client: ConnectWiseClient, input: NewCompany): Promise<Target> {
  const hasAddress = [input.addressLine1, input.city, input.state, input.zip].some((v) => v !== undefined && v !== '');
  if (!hasAddress) {
    throw badField('createCompany', 'needs at least one address field (addressLine1, city, state or zip): ConnectWise requires one');
  }
  const identifier = input.identifier ?? identifierFromName(input.name);
  const body = {
    identifier,
    name: input.name,
    ...(input.addressLine1 ? { addressLine1: input.addressLine1 } : {}),
    ...(input.city ? { city: input.city } : {}),
    ...(input.state ? { state: input.state } : {}),
    ...(input.zip ? { zip: input.zip } : {}),
  } as NewRecord<Company>;
  try {
    const created = await client.companies.create(body);
    return { id: created.id as number, name: created.name ?? input.name };
  } catch (error) {
    if (isConnectWiseError(error, 'object-exists')) {
      const existing = await client.companies.findByIdentifier(identifier).catch(() => undefined);
      throw new AppError(
        AppErrorCode.Conflict,
        `A ConnectWise company with identifier "${identifier}" already exists${existing?.id ? ` (id ${existing.id})` : ''}: map to it, or choose another identifier.`,
        { existingCompanyId: existing?.id ?? null },
      );
    }
    return callConnectWise('creating the company', () => Promise.reject(error as Error));
  }
}

export interface AgreementDefaults {
  agreementTypeId: number | null;
  billingCycleId: number | null;
}

/**
 * Creates an agreement for the company with the type and billing cycle from the settings. An agreement
 * needs a contact: the company's first contact, or a billing contact created for it.
 */
export async function createAgreement(
  client: ConnectWiseClient,
  company: Target,
  name: string,
  defaults: AgreementDefaults,
  today: string,
): Promise<Target> {
  if (!defaults.agreementTypeId) {
    throw new AppError(AppErrorCode.ValidationFailed, 'Choose an agreement type in the settings (step 2) before creating agreements.', {
      fields: [{ field: 'createAgreement', reason: 'needs connectwiseDefaults.agreementTypeId in the settings' }],
    });
  }
  const agreementTypeId = defaults.agreementTypeId;
  return callConnectWise('creating the agreement', async () => {
    const contact = await companyContact(client, company);
    const body = {
      name,
      type: { id: agreementTypeId },
      company: { id: company.id },
      contact: { id: contact },
      ...(defaults.billingCycleId ? { billingCycle: { id: defaults.billingCycleId } } : {}),
      startDate: `${today}T00:00:00Z`,
      noEndingDateFlag: true,
      applicationUnits: 'Amount',
      billTime: 'NoDefault',
      billExpenses: 'NoDefault',
      billProducts: 'Billable',
      invoicingCycle: 'CalendarYear',
      employeeCompRate: 'Actual',
    } as unknown as NewRecord<Agreement>;
    const refind = async () => {
      const found = await client.agreements.list({ conditions: cwAnd(cwEquals('company/id', company.id), cwEquals('name', name)) });
      return found[0];
    };
    const created = await client.agreements.create(body, { refind });
    return { id: created.id as number, name: created.name ?? name };
  });
}

async function companyContact(client: ConnectWiseClient, company: Target): Promise<number> {
  const contacts = await client.contacts.listByCompany(company.id, { pageSize: 1, orderBy: 'id asc' });
  const first = contacts[0]?.id;
  if (typeof first === 'number') return first;
  const body = { firstName: 'Billing', lastName: (company.name ?? 'Contact').slice(0, 30), company: { id: company.id } } as unknown as NewRecord<Contact>;
  const refind = async () => (await client.contacts.listByCompany(company.id, { pageSize: 1, orderBy: 'id asc' }))[0];
  const created = await client.contacts.create(body, { refind });
  return created.id as number;
}

async function readOrNull<T>(read: () => Promise<T>, what: string): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isConnectWiseError(error, 'not-found')) return null;
    return callConnectWise(what, () => Promise.reject(error as Error));
  }
}
