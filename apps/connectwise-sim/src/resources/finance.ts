import { bool, date, int, list, num, oneOf, readOnly, ref, refs, required, str } from './field-spec';
import { lookupTable } from './lookup';
import type { ResourceDef, WriteContext } from './resource-def';

const AGREEMENTS = { module: 'Finance', fn: 'Agreements' };
const TABLE_SETUP = { module: 'System', fn: 'Table_Setup' };

export const APPLICATION_UNITS = ['Amount', 'Hours', 'Incidents'] as const;
export const APPLICATION_CYCLES = [
  'Contract2Weeks',
  'Contract4Weeks',
  'ContractYear',
  'CalendarMonth',
  'CalendarQuarter',
  'CalendarWeek',
  'ContractQuarter',
  'CalendarYear',
] as const;
const COMP_RATES = ['Actual', 'Hourly'] as const;
const COMP_NOT_EXCEED = ['Billing', 'Amount', 'Percent'] as const;
const INVOICING_CYCLES = ['ContractYear', 'CalendarYear'] as const;
const BILL_OPTIONS = ['Billable', 'DoNotBill', 'NoCharge', 'NoDefault'] as const;
export const AGREEMENT_STATUSES = ['Active', 'Cancelled', 'Expired', 'Inactive'] as const;

/** Fields an agreement inherits from its type when the request leaves them out. */
const INHERITED_FROM_TYPE: ReadonlyArray<readonly [agreementField: string, typeField: string]> = [
  ['employeeCompRate', 'employeeCompRate'],
  ['employeeCompNotExceed', 'employeeCompNotExceed'],
  ['invoicingCycle', 'invoicingCycle'],
  ['billTime', 'billTime'],
  ['billExpenses', 'billExpenses'],
  ['billProducts', 'billProducts'],
  ['applicationUnits', 'applicationUnits'],
  ['applicationCycle', 'applicationCycle'],
  ['billingCycle', 'billingCycle'],
  ['taxable', 'taxableFlag'],
  ['prorateFlag', 'prorateFlag'],
];

const todayMidnight = (now: string): string => `${now.slice(0, 10)}T00:00:00Z`;

export const agreements: ResourceDef = {
  key: 'finance/agreements',
  path: 'finance/agreements',
  thing: 'Agreement',
  objectName: 'agreement',
  security: AGREEMENTS,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  cascade: ['finance/agreements/additions'],
  fields: {
    id: readOnly(int()),
    name: required(str(100)),
    type: required(refs.agreementType()),
    company: required(refs.company()),
    contact: required(refs.contact()),
    parentAgreement: ref('finance/agreements', 'agreement_href', { target: 'finance/agreements' }),
    customerPO: str(50),
    location: refs.location(),
    department: refs.department(),
    restrictLocationFlag: bool(),
    restrictDepartmentFlag: bool(),
    startDate: date(),
    endDate: date(),
    noEndingDateFlag: bool(),
    cancelledFlag: bool(),
    dateCancelled: date(),
    reasonCancelled: str(100),
    workOrder: str(20),
    internalNotes: str(),
    applicationUnits: oneOf(APPLICATION_UNITS, 'ApplicationUnits'),
    applicationLimit: num(),
    applicationCycle: oneOf(APPLICATION_CYCLES, 'ApplicationCycle'),
    applicationUnlimitedFlag: bool(),
    oneTimeFlag: bool(),
    coverAgreementTime: bool(),
    coverAgreementProduct: bool(),
    coverAgreementExpense: bool(),
    coverSalesTax: bool(),
    carryOverUnused: bool(),
    allowOverruns: bool(),
    expiredDays: int(),
    limit: int(),
    expireWhenZero: bool(),
    chargeToFirm: bool(),
    employeeCompRate: oneOf(COMP_RATES, 'EmployeeCompRate'),
    employeeCompNotExceed: oneOf(COMP_NOT_EXCEED, 'EmployeeCompNotExceed'),
    compHourlyRate: num(),
    compLimitAmount: num(),
    billingCycle: refs.billingCycle(),
    billOneTimeFlag: bool(),
    invoicingCycle: oneOf(INVOICING_CYCLES, 'InvoicingCycle'),
    billToCompany: refs.company(),
    billToContact: refs.contact(),
    billAmount: num(),
    taxable: bool(),
    prorateFirstBill: num(),
    billStartDate: date(),
    taxCode: refs.taxCode(),
    restrictDownPayment: bool(),
    prorateFlag: bool(),
    invoiceProratedAdditionsFlag: bool(),
    invoiceDescription: str(4000),
    topComment: bool(),
    bottomComment: bool(),
    billTime: oneOf(BILL_OPTIONS, 'BillTime'),
    billExpenses: oneOf(BILL_OPTIONS, 'BillExpenses'),
    billProducts: oneOf(BILL_OPTIONS, 'BillProducts'),
    billableTimeInvoice: bool(),
    billableExpenseInvoice: bool(),
    billableProductInvoice: bool(),
    currency: refs.currency(),
    periodType: oneOf(['Current', 'Future', 'Both', 'Undefined'], 'PeriodType'),
    autoInvoiceFlag: bool(),
    nextInvoiceDate: str(),
    agreementStatus: readOnly(oneOf(AGREEMENT_STATUSES, 'AgreementStatus')),
    _info: readOnly(list()),
    customFields: list(),
  },
  defaults(record, ctx) {
    const typeId = (record.type as { id?: number } | undefined)?.id;
    const type = typeId === undefined ? undefined : ctx.state.get('finance/agreements/types', typeId);
    if (type) {
      for (const [field, typeField] of INHERITED_FROM_TYPE) {
        if ((record[field] === undefined || record[field] === null) && type[typeField] !== undefined) {
          record[field] = structuredClone(type[typeField]);
        }
      }
    }
    record.startDate ??= todayMidnight(ctx.now);
    record.noEndingDateFlag ??= record.endDate === undefined || record.endDate === null;
    for (const flag of [
      'restrictLocationFlag',
      'restrictDepartmentFlag',
      'cancelledFlag',
      'applicationUnlimitedFlag',
      'oneTimeFlag',
      'coverAgreementTime',
      'coverAgreementProduct',
      'coverAgreementExpense',
      'coverSalesTax',
      'carryOverUnused',
      'allowOverruns',
      'expireWhenZero',
      'chargeToFirm',
      'billOneTimeFlag',
      'taxable',
      'restrictDownPayment',
      'prorateFlag',
      'invoiceProratedAdditionsFlag',
      'topComment',
      'bottomComment',
      'billableTimeInvoice',
      'billableExpenseInvoice',
      'billableProductInvoice',
      'autoInvoiceFlag',
    ]) {
      record[flag] ??= false;
    }
    record.compHourlyRate ??= 0;
    record.compLimitAmount ??= 0;
    record.billAmount ??= 0;
    record.periodType ??= 'Current';
  },
  derive(record, ctx) {
    if (record.cancelledFlag === true) record.dateCancelled ??= ctx.now;
    record.agreementStatus = agreementStatus(record, ctx);
  },
};

/**
 * Cancelled when flagged so, Expired once its end date has passed (and it has one), else Active.
 * The exact rule ConnectWise applies is not documented; this is the evident reading of the enum.
 */
function agreementStatus(record: Record<string, unknown>, ctx: WriteContext): string {
  if (record.cancelledFlag === true) return 'Cancelled';
  if (record.noEndingDateFlag !== true && typeof record.endDate === 'string' && record.endDate < ctx.now) return 'Expired';
  return 'Active';
}

export const agreementTypes: ResourceDef = {
  key: 'finance/agreements/types',
  path: 'finance/agreements/types',
  thing: 'Agreement Type',
  objectName: 'agreementType',
  security: TABLE_SETUP,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  fields: {
    id: readOnly(int()),
    name: required(str(50)),
    prefixSuffixOption: oneOf(['Prefix', 'Suffix'], 'PrefixSuffixOption'),
    defaultFlag: bool(),
    inactiveFlag: bool(),
    prePaymentFlag: bool(),
    invoicePreSuffix: str(5),
    location: refs.location(),
    department: refs.department(),
    restrictLocationFlag: bool(),
    restrictDepartmentFlag: bool(),
    applicationUnits: oneOf(APPLICATION_UNITS, 'ApplicationUnits'),
    applicationLimit: num(),
    applicationCycle: oneOf(APPLICATION_CYCLES, 'ApplicationCycle'),
    applicationUnlimitedFlag: bool(),
    oneTimeFlag: bool(),
    coverAgreementTimeFlag: bool(),
    coverAgreementProductFlag: bool(),
    coverAgreementExpenseFlag: bool(),
    coverSalesTaxFlag: bool(),
    carryOverUnusedFlag: bool(),
    allowOverrunsFlag: bool(),
    expiredDays: int(),
    limit: int(),
    expireWhenZero: bool(),
    chargeToFirmFlag: bool(),
    employeeCompRate: required(oneOf(COMP_RATES, 'EmployeeCompRate')),
    employeeCompNotExceed: required(oneOf(COMP_NOT_EXCEED, 'EmployeeCompNotExceed')),
    compHourlyRate: num(),
    compLimitAmount: num(),
    billingCycle: refs.billingCycle(),
    billOneTimeFlag: bool(),
    invoicingCycle: required(oneOf(INVOICING_CYCLES, 'InvoicingCycle')),
    billAmount: num(),
    taxableFlag: bool(),
    restrictDownPaymentFlag: bool(),
    invoiceDescription: str(4000),
    topCommentFlag: bool(),
    bottomCommentFlag: bool(),
    billTime: required(oneOf(BILL_OPTIONS, 'BillTime')),
    billExpenses: required(oneOf(BILL_OPTIONS, 'BillExpenses')),
    billProducts: required(oneOf(BILL_OPTIONS, 'BillProducts')),
    billableTimeInvoiceFlag: bool(),
    billableExpenseInvoiceFlag: bool(),
    billableProductInvoiceFlag: bool(),
    integrationXRef: str(50),
    prorateFlag: bool(),
    autoInvoiceFlag: bool(),
    invoiceProratedAdditionsFlag: bool(),
    _info: readOnly(list()),
  },
  defaults(record) {
    for (const flag of ['defaultFlag', 'inactiveFlag', 'prePaymentFlag', 'oneTimeFlag', 'taxableFlag', 'prorateFlag', 'autoInvoiceFlag']) {
      record[flag] ??= false;
    }
  },
};

/** `finance/billingCycles`: the minimal list agreements' `billingCycle` references point into. */
export const billingCycles = lookupTable({
  key: 'finance/billingCycles',
  thing: 'Billing Cycle',
  objectName: 'billingCycle',
  fields: { identifier: str(50), defaultFlag: bool(), inactiveFlag: bool() },
});
