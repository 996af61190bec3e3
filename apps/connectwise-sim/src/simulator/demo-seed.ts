import type { SimSeed } from './seed';
import type { SecurityLevel, SimPermission } from './state';

const permission = (
  moduleIdentifier: string,
  moduleFunctionIdentifier: string,
  moduleFunctionName: string,
  levels: { add: SecurityLevel; edit: SecurityLevel; delete: SecurityLevel; inquire: SecurityLevel },
): SimPermission => ({
  moduleIdentifier,
  moduleFunctionIdentifier,
  moduleFunctionName,
  addLevel: levels.add,
  editLevel: levels.edit,
  deleteLevel: levels.delete,
  inquireLevel: levels.inquire,
});

const ALL = { add: 'All', edit: 'All', delete: 'All', inquire: 'All' } as const;

/** The functions of docs/connectwise-permissions.md, with every level granted. */
const fullRole: SimPermission[] = [
  permission('Companies', 'Company_Maintenance', 'Company Maintenance', ALL),
  permission('Companies', 'Contacts', 'Contacts', ALL),
  permission('Finance', 'Agreements', 'Agreements', ALL),
  permission('Procurement', 'Product_Catalog', 'Product Catalog', ALL),
  permission('System', 'Table_Setup', 'Table Setup', ALL),
];

/** Same, but agreements (and their additions and documents) can only be read. */
const limitedRole: SimPermission[] = fullRole.map((p) =>
  p.moduleFunctionIdentifier === 'Agreements' ? { ...p, addLevel: 'None', editLevel: 'None', deleteLevel: 'None' } : p,
);

const address = (city: string) => ({ addressLine1: '1 Main Street', city, state: 'NY', zip: '10001' });

/**
 * The built-in demo tenant: company id `demo`; API member `demo-public`/`demo-private` (full rights);
 * `limited-public`/`limited-private` (cannot add, edit or delete agreements).
 *
 * Ids: company statuses 1 Active (default), 2 Inactive; company types 1 Client, 2 Prospect, 3 Vendor,
 * 4 Partner; billing cycles 1 Annual, 2 Monthly, 3 Quarterly; agreement types 1 Managed Services,
 * 2 Cloud Services, 3 Block Time; categories 1 Cloud, 2 Hardware; subcategories 1 Cloud Licensing,
 * 2 Cloud Backup, 3 Workstations; product types 1 Non-Inventory, 2 Service; units of measure 1 Each,
 * 2 User, 3 Month, 4 GB; companies 1 DemoMSP (the MSP itself), 2 AcmeCorp, 3 Globex, 4 Initech,
 * 5 Umbrella (status Inactive), 6 StarkIndustries (no agreement); contacts 1–7; catalog items
 * 1 M365-BP, 2 M365-E3, 3 BACKUP-100GB, 4 AV-ENDPOINT; agreements 1 Acme (Managed Services),
 * 2 Globex (Cloud Services), 3 Initech (Block Time, cancelled), 4 Umbrella (Cloud Services);
 * additions 1–2 on agreement 1, 3 on agreement 2.
 */
export const demoSeed: SimSeed = {
  tenant: { companyId: 'demo', companyName: 'Demo MSP' },
  securityRoles: [
    { id: 1, name: 'API Integration', permissions: fullRole },
    { id: 2, name: 'API Read-only Agreements', permissions: limitedRole },
  ],
  members: [
    { id: 1, identifier: 'apiuser', firstName: 'API', lastName: 'Integration', publicKey: 'demo-public', privateKey: 'demo-private', securityRoleId: 1, licenseClass: 'A' },
    { id: 2, identifier: 'apilimited', firstName: 'API', lastName: 'Limited', publicKey: 'limited-public', privateKey: 'limited-private', securityRoleId: 2, licenseClass: 'A' },
  ],
  records: {
    'company/companies/statuses': [
      { id: 1, name: 'Active', defaultFlag: true },
      { id: 2, name: 'Inactive', inactiveFlag: true },
    ],
    'company/companies/types': [
      { id: 1, name: 'Client', defaultFlag: true },
      { id: 2, name: 'Prospect' },
      { id: 3, name: 'Vendor', vendorFlag: true },
      { id: 4, name: 'Partner' },
    ],
    'finance/billingCycles': [
      { id: 1, identifier: 'Annual', name: 'Annual' },
      { id: 2, identifier: 'Monthly', name: 'Monthly', defaultFlag: true },
      { id: 3, identifier: 'Quarterly', name: 'Quarterly' },
    ],
    'finance/agreements/types': [
      {
        id: 1, name: 'Managed Services', defaultFlag: true, applicationUnits: 'Amount', applicationCycle: 'CalendarMonth',
        employeeCompRate: 'Actual', employeeCompNotExceed: 'Billing', invoicingCycle: 'CalendarYear',
        billTime: 'Billable', billExpenses: 'Billable', billProducts: 'Billable', billingCycle: { id: 2 }, prorateFlag: true,
      },
      {
        id: 2, name: 'Cloud Services', applicationUnits: 'Amount', applicationCycle: 'CalendarMonth',
        employeeCompRate: 'Actual', employeeCompNotExceed: 'Billing', invoicingCycle: 'CalendarYear',
        billTime: 'NoDefault', billExpenses: 'NoDefault', billProducts: 'Billable', billingCycle: { id: 2 },
      },
      {
        id: 3, name: 'Block Time', applicationUnits: 'Hours', applicationCycle: 'ContractYear', oneTimeFlag: true,
        employeeCompRate: 'Hourly', employeeCompNotExceed: 'Amount', invoicingCycle: 'ContractYear',
        billTime: 'Billable', billExpenses: 'DoNotBill', billProducts: 'DoNotBill', billingCycle: { id: 1 },
      },
    ],
    'procurement/categories': [
      { id: 1, name: 'Cloud', defaultFlag: true },
      { id: 2, name: 'Hardware' },
    ],
    'procurement/subcategories': [
      { id: 1, name: 'Cloud Licensing', category: { id: 1 }, defaultFlag: true },
      { id: 2, name: 'Cloud Backup', category: { id: 1 } },
      { id: 3, name: 'Workstations', category: { id: 2 } },
    ],
    'procurement/types': [
      { id: 1, name: 'Non-Inventory', typeXref: 'NonInventoryPart', defaultFlag: true },
      { id: 2, name: 'Service', typeXref: 'Service' },
    ],
    'procurement/unitOfMeasures': [
      { id: 1, name: 'Each', defaultFlag: true },
      { id: 2, name: 'User' },
      { id: 3, name: 'Month' },
      { id: 4, name: 'GB' },
    ],
    'company/companies': [
      { id: 1, identifier: 'DemoMSP', name: 'Demo MSP', ...address('New York'), types: [{ id: 4 }] },
      { id: 2, identifier: 'AcmeCorp', name: 'Acme Corporation', ...address('Springfield'), types: [{ id: 1 }], website: 'www.acme.example' },
      { id: 3, identifier: 'Globex', name: 'Globex Inc', ...address('Cypress Creek'), types: [{ id: 1 }] },
      { id: 4, identifier: 'Initech', name: 'Initech LLC', ...address('Austin'), types: [{ id: 1 }] },
      { id: 5, identifier: 'Umbrella', name: 'Umbrella Corporation', ...address('Raccoon City'), status: { id: 2 }, types: [{ id: 1 }] },
      { id: 6, identifier: 'StarkIndustries', name: 'Stark Industries', ...address('Malibu'), types: [{ id: 2 }] },
    ],
    'company/contacts': [
      { id: 1, firstName: 'Dana', lastName: 'Admin', company: { id: 1 }, title: 'Service Manager' },
      { id: 2, firstName: 'Wile', lastName: 'Coyote', company: { id: 2 }, title: 'IT Director', defaultFlag: true },
      { id: 3, firstName: 'Road', lastName: 'Runner', company: { id: 2 } },
      { id: 4, firstName: 'Hank', lastName: 'Scorpio', company: { id: 3 }, defaultFlag: true },
      { id: 5, firstName: 'Bill', lastName: 'Lumbergh', company: { id: 4 }, defaultFlag: true },
      { id: 6, firstName: 'Albert', lastName: 'Wesker', company: { id: 5 }, defaultFlag: true },
      { id: 7, firstName: 'Pepper', lastName: 'Potts', company: { id: 6 }, defaultFlag: true },
    ],
    'procurement/catalog': [
      {
        id: 1, identifier: 'M365-BP', description: 'Microsoft 365 Business Premium', customerDescription: 'Microsoft 365 Business Premium - per user/month',
        subcategory: { id: 1 }, type: { id: 1 }, unitOfMeasure: { id: 2 }, price: 28.5, cost: 22, productClass: 'NonInventory',
      },
      {
        id: 2, identifier: 'M365-E3', description: 'Microsoft 365 E3', customerDescription: 'Microsoft 365 E3 - per user/month',
        subcategory: { id: 1 }, type: { id: 1 }, unitOfMeasure: { id: 2 }, price: 39.6, cost: 33, productClass: 'NonInventory',
      },
      {
        id: 3, identifier: 'BACKUP-100GB', description: 'Cloud Backup 100 GB', customerDescription: 'Cloud backup, 100 GB block per month',
        subcategory: { id: 2 }, type: { id: 2 }, unitOfMeasure: { id: 4 }, price: 15, cost: 6.25, productClass: 'Service',
      },
      {
        id: 4, identifier: 'AV-ENDPOINT', description: 'Endpoint Protection', customerDescription: 'Managed antivirus per endpoint',
        subcategory: { id: 1 }, type: { id: 2 }, unitOfMeasure: { id: 1 }, price: 5, cost: 2.1, productClass: 'Service', taxableFlag: true,
      },
    ],
    'finance/agreements': [
      { id: 1, name: 'Acme Managed Services', type: { id: 1 }, company: { id: 2 }, contact: { id: 2 }, startDate: '2025-01-01T00:00:00Z' },
      { id: 2, name: 'Globex Cloud Services', type: { id: 2 }, company: { id: 3 }, contact: { id: 4 }, startDate: '2025-01-01T00:00:00Z' },
      {
        id: 3, name: 'Initech Block Time', type: { id: 3 }, company: { id: 4 }, contact: { id: 5 }, startDate: '2024-01-01T00:00:00Z',
        endDate: '2024-12-31T00:00:00Z', cancelledFlag: true, dateCancelled: '2024-06-30T00:00:00Z', reasonCancelled: 'Moved to another provider',
      },
      { id: 4, name: 'Umbrella Cloud Services', type: { id: 2 }, company: { id: 5 }, contact: { id: 6 }, startDate: '2025-03-01T00:00:00Z' },
    ],
    'finance/agreements/additions': [
      { id: 1, agreementId: 1, product: { id: 1 }, billCustomer: 'Billable', quantity: 10, effectiveDate: '2025-01-01T00:00:00Z' },
      { id: 2, agreementId: 1, product: { id: 4 }, billCustomer: 'Billable', quantity: 12, effectiveDate: '2025-01-01T00:00:00Z' },
      { id: 3, agreementId: 2, product: { id: 2 }, billCustomer: 'Billable', quantity: 25, unitPrice: 37, effectiveDate: '2025-01-01T00:00:00Z' },
    ],
  },
};
