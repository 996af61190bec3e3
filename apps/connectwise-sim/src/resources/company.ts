import type { ValidationIssue } from '../http/api-error';
import { bool, createOnly, date, int, list, num, readOnly, ref, refList, refs, required, str } from './field-spec';
import { lookupTable } from './lookup';
import type { ResourceDef } from './resource-def';

const COMPANIES = { module: 'Companies', fn: 'Company_Maintenance' };
const CONTACTS = { module: 'Companies', fn: 'Contacts' };
const ADDRESS_FIELDS = ['addressLine1', 'addressLine2', 'city', 'state', 'zip', 'country'] as const;

export const companies: ResourceDef = {
  key: 'company/companies',
  path: 'company/companies',
  thing: 'Company',
  objectName: 'company',
  security: COMPANIES,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  unique: 'identifier',
  fields: {
    id: readOnly(int()),
    identifier: required(str(156)),
    name: required(str(156)),
    status: refs.companyStatus(),
    addressLine1: str(50),
    addressLine2: str(50),
    city: str(50),
    state: str(50),
    zip: str(12),
    country: ref('company/countries', 'country_href', { show: ['identifier', 'name'] }),
    phoneNumber: str(30),
    faxNumber: str(30),
    website: str(255),
    territory: refs.location(),
    accountNumber: str(30),
    defaultContact: refs.contact(),
    dateAcquired: date(),
    parentCompany: refs.company(),
    annualRevenue: num(),
    numberOfEmployees: int(),
    leadFlag: bool(),
    unsubscribeFlag: bool(),
    vendorIdentifier: str(30),
    taxIdentifier: str(30),
    taxCode: refs.taxCode(),
    billToCompany: refs.company(),
    billingContact: refs.contact(),
    invoiceToEmailAddress: str(250),
    deletedFlag: readOnly(bool()),
    currency: refs.currency(),
    territoryManager: refs.member(),
    isVendorFlag: bool(),
    types: createOnly(refList('company/companies/types', 'type_href', { target: 'company/companies/types' })),
    integratorTags: list(),
    _info: readOnly(list()),
    customFields: list(),
  },
  defaults(record, ctx) {
    if (!record.status) {
      const status = ctx.state.list('company/companies/statuses').find((s) => s.defaultFlag === true);
      if (status) record.status = { id: status.id, name: status.name };
    }
    record.leadFlag ??= false;
    record.unsubscribeFlag ??= false;
    record.isVendorFlag ??= false;
    record.deletedFlag = false;
  },
  validate(record) {
    // The spec says "at least one address field is required -- addressLine1, addressLine2, city, state,
    // zip and/or country" on each address field; the simulator enforces it.
    const issues: ValidationIssue[] = [];
    if (!ADDRESS_FIELDS.some((field) => record[field] !== undefined && record[field] !== null && record[field] !== '')) {
      issues.push({
        code: 'MissingRequiredField',
        message: 'At least one address field is required -- addressLine1, addressLine2, city, state, zip and/or country.',
        resource: 'company',
        field: 'addressLine1',
      });
    }
    return issues;
  },
};

export const contacts: ResourceDef = {
  key: 'company/contacts',
  path: 'company/contacts',
  thing: 'Contact',
  objectName: 'contact',
  security: CONTACTS,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  fields: {
    id: readOnly(int()),
    firstName: required(str(30)),
    lastName: str(30),
    company: refs.company(),
    title: str(100),
    department: ref('company/contacts/departments', 'department_href'),
    inactiveFlag: bool(),
    defaultFlag: bool(),
    defaultPhoneType: str(),
    defaultPhoneNbr: str(30),
    defaultBillingFlag: bool(),
    communicationItems: list(),
    _info: readOnly(list()),
    customFields: list(),
  },
  defaults(record) {
    record.inactiveFlag ??= false;
    record.defaultFlag ??= false;
    record.defaultBillingFlag ??= false;
  },
};

export const companyStatuses = lookupTable({
  key: 'company/companies/statuses',
  thing: 'Company Status',
  objectName: 'companyStatus',
  fields: {
    defaultFlag: bool(),
    inactiveFlag: bool(),
    notifyFlag: bool(),
    disallowSavingFlag: bool(),
    notificationMessage: str(500),
    customNoteFlag: bool(),
    cancelOpenTracksFlag: bool(),
  },
});

export const companyTypes = lookupTable({
  key: 'company/companies/types',
  thing: 'Company Type',
  objectName: 'companyType',
  fields: { defaultFlag: bool(), vendorFlag: bool(), serviceAlertFlag: bool() },
});
