import type { SimRecord } from '../simulator/state';
import { bool, int, list, oneOf, readOnly, ref, refs, str } from './field-spec';
import type { ResourceDef, SecurityFunction } from './resource-def';

const LEVELS = ['None', 'My', 'All'] as const;

/**
 * Document metadata (DocumentInfo). `recordType`/`recordId` are kept beside it in the store (they
 * are query parameters, not DocumentInfo fields) and the content separately; uploads and downloads
 * have their own handlers.
 */
export const documents: ResourceDef = {
  key: 'system/documents',
  path: 'system/documents',
  thing: 'Document',
  objectName: 'document',
  security: 'recordType',
  methods: ['GET', 'DELETE'],
  fields: {
    id: readOnly(int()),
    title: str(100),
    fileName: str(),
    serverFileName: str(),
    owner: str(),
    linkFlag: bool(),
    imageFlag: bool(),
    publicFlag: bool(),
    htmlTemplateFlag: bool(),
    readOnlyFlag: bool(),
    size: int(),
    urlFlag: bool(),
    createdOnDate: str(),
    documentType: ref('system/documentTypes', 'documentType_href'),
    guid: str(),
    _info: readOnly(list()),
  },
};

/**
 * Record types a document can be attached to, with the security function that guards it
 * (docs/connectwise-permissions.md; the real server's document rights are an unverified guess).
 */
export const DOCUMENT_RECORD_TYPES: Readonly<Record<string, { collection: string; security: SecurityFunction }>> = {
  Agreement: { collection: 'finance/agreements', security: { module: 'Finance', fn: 'Agreements' } },
  Company: { collection: 'company/companies', security: { module: 'Companies', fn: 'Company_Maintenance' } },
  Contact: { collection: 'company/contacts', security: { module: 'Companies', fn: 'Contacts' } },
};

/** `system/mySecurity`: the caller's role as MySecurity[] (read-only, computed per member). */
export const mySecurity: ResourceDef = {
  key: 'system/mySecurity',
  path: 'system/mySecurity',
  thing: 'Security',
  objectName: 'mySecurity',
  security: 'authenticated',
  methods: ['GET'],
  fields: {
    id: int(),
    addLevel: oneOf(LEVELS, 'SecurityLevel'),
    editLevel: oneOf(LEVELS, 'SecurityLevel'),
    deleteLevel: oneOf(LEVELS, 'SecurityLevel'),
    inquireLevel: oneOf(LEVELS, 'SecurityLevel'),
    moduleFunctionName: str(),
    moduleFunctionDescription: str(),
    myAllFlag: bool(),
    moduleFunctionIdentifier: str(),
    reportFlag: bool(),
    restrictFlag: bool(),
    customFlag: bool(),
    moduleDescription: str(),
    moduleIdentifier: str(),
    moduleName: str(),
    sortOrder: int(),
    member: refs.member(),
    _info: list(),
  },
  source({ state, member }) {
    const role = state.securityRoles.find((r) => r.id === member.securityRoleId);
    return (role?.permissions ?? []).map(
      (p, index): SimRecord => ({
        id: index + 1,
        addLevel: p.addLevel,
        editLevel: p.editLevel,
        deleteLevel: p.deleteLevel,
        inquireLevel: p.inquireLevel,
        moduleFunctionName: p.moduleFunctionName ?? p.moduleFunctionIdentifier.replace(/_/g, ' '),
        moduleFunctionIdentifier: p.moduleFunctionIdentifier,
        moduleIdentifier: p.moduleIdentifier,
        moduleName: p.moduleIdentifier,
        moduleDescription: p.moduleIdentifier,
        myAllFlag: false,
        reportFlag: false,
        restrictFlag: false,
        customFlag: false,
        sortOrder: index + 1,
        member: { id: member.id, identifier: member.identifier, name: `${member.firstName} ${member.lastName}` },
      }),
    );
  },
};
