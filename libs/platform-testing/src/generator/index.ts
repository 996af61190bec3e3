export { generatePartner } from './generate-partner';
export { mutatePartner } from './mutate-partner';
export { writePartnerToFolder, GENERATOR_FILES } from './write-partner';
export { Random, hashSeed, type Seed } from './prng';
export { SKU_CATALOGUE, type CatalogueSku } from './sku-catalogue';
export { nameKey, type NameVariation } from './names';
export type * from './types';
