import { randomUUID } from 'node:crypto';
import { bool, int, list, num, oneOf, readOnly, ref, refs, required, str } from './field-spec';
import { lookupTable } from './lookup';
import type { ResourceDef } from './resource-def';

const CATALOG = { module: 'Procurement', fn: 'Product_Catalog' };
const BILL_OPTIONS = ['Billable', 'DoNotBill', 'NoCharge', 'NoDefault'] as const;

export const catalog: ResourceDef = {
  key: 'procurement/catalog',
  path: 'procurement/catalog',
  thing: 'Catalog Item',
  objectName: 'catalogItem',
  security: CATALOG,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  // Identifier uniqueness is not documented (API-NOTES §13.5); a duplicate is refused with ObjectExists.
  unique: 'identifier',
  fields: {
    id: readOnly(int()),
    identifier: required(str(75)),
    description: required(str(60)),
    inactiveFlag: bool(),
    subcategory: required(refs.subcategory()),
    type: required(refs.productType()),
    productClass: oneOf(['Agreement', 'Bundle', 'Inventory', 'NonInventory', 'Service'], 'ProductClass'),
    serializedFlag: bool(),
    serializedCostFlag: bool(),
    phaseProductFlag: bool(),
    unitOfMeasure: refs.unitOfMeasure(),
    minStockLevel: int(),
    price: num(),
    cost: num(),
    priceAttribute: oneOf(['FixedFee', 'NotToExceed', 'OverrideRate', 'TimeAndMaterials'], 'PriceAttribute'),
    taxableFlag: bool(),
    dropShipFlag: bool(),
    specialOrderFlag: bool(),
    customerDescription: required(str(6000)),
    manufacturer: ref('procurement/manufacturers', 'manufacturer_href'),
    manufacturerPartNumber: str(50),
    vendor: refs.company(),
    vendorSku: str(50),
    notes: str(),
    integrationXRef: str(50),
    recurringFlag: bool(),
    recurringRevenue: num(),
    recurringCost: num(),
    recurringOneTimeFlag: bool(),
    recurringBillCycle: refs.billingCycle(),
    recurringCycleType: oneOf(['ContractYear', 'CalendarYear'], 'RecurringCycleType'),
    calculatedPriceFlag: bool(),
    calculatedCostFlag: bool(),
    category: readOnly(refs.category()),
    calculatedPrice: readOnly(num()),
    calculatedCost: readOnly(num()),
    billableOption: oneOf(BILL_OPTIONS, 'BillableOption'),
    connectWiseID: readOnly(str()),
    agreementType: refs.agreementType(),
    markupPercentage: num(),
    markupFlag: bool(),
    autoUpdateUnitCostFlag: bool(),
    autoUpdateUnitPriceFlag: bool(),
    _info: readOnly(list()),
    customFields: list(),
  },
  defaults(record, ctx) {
    record.productClass ??= 'NonInventory';
    record.price ??= 0;
    record.cost ??= 0;
    record.billableOption ??= 'Billable';
    for (const flag of [
      'inactiveFlag',
      'serializedFlag',
      'serializedCostFlag',
      'phaseProductFlag',
      'taxableFlag',
      'dropShipFlag',
      'specialOrderFlag',
      'recurringFlag',
      'recurringOneTimeFlag',
      'calculatedPriceFlag',
      'calculatedCostFlag',
      'markupFlag',
      'autoUpdateUnitCostFlag',
      'autoUpdateUnitPriceFlag',
    ]) {
      record[flag] ??= false;
    }
    record.connectWiseID = ctx.existing?.connectWiseID ?? randomUUID();
  },
  derive(record, ctx) {
    // The category follows the subcategory's.
    const subcategoryId = (record.subcategory as { id?: number } | undefined)?.id;
    const subcategory = subcategoryId === undefined ? undefined : ctx.state.get('procurement/subcategories', subcategoryId);
    const category = subcategory?.category as { id: number; name?: string } | undefined;
    if (category) record.category = { id: category.id, name: category.name };
    record.calculatedPrice = record.price;
    record.calculatedCost = record.cost;
  },
};

export const categories = lookupTable({
  key: 'procurement/categories',
  thing: 'Category',
  objectName: 'category',
  fields: { inactiveFlag: bool(), priceLevelXref: str(10), integrationXref: str(50), defaultFlag: bool() },
});

/** The spec's collection path has a trailing slash (`procurement/subcategories/`); both forms are served. */
export const subcategories = lookupTable({
  key: 'procurement/subcategories',
  thing: 'Subcategory',
  objectName: 'subCategory',
  fields: { inactiveFlag: bool(), integrationXref: str(50), defaultFlag: bool(), category: required(refs.category()) },
});

export const productTypes = lookupTable({
  key: 'procurement/types',
  thing: 'Product Type',
  objectName: 'productType',
  fields: {
    inactiveFlag: bool(),
    typeXref: oneOf(['InventoryPart', 'NonInventoryPart', 'OtherCharge', 'Service'], 'TypeXref'),
    defaultFlag: bool(),
  },
});

export const unitOfMeasures = lookupTable({
  key: 'procurement/unitOfMeasures',
  thing: 'Unit Of Measure',
  objectName: 'unitOfMeasure',
  fields: { inactiveFlag: bool(), defaultFlag: bool(), uomScheduleXref: str(31) },
});
