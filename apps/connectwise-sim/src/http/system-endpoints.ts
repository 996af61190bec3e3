import { mySecurity } from '../resources/system';
import { type Reply, type RequestContext, type Route, route } from './context';
import { resourceRoutes } from './crud';

/** `system/info`, `system/myMembers` (the caller) and `system/mySecurity` (the caller's role): any member. */
export function systemRoutes(): Route[] {
  return [route('system/info', { GET: info }), route('system/myMembers', { GET: myMember }), ...resourceRoutes(mySecurity)];
}

/** `v2025_1/` → `v2025.1`. */
export function versionCode(codebase: string): string {
  return codebase.replace(/\/$/, '').replace('_', '.');
}

function info(ctx: RequestContext): Reply {
  const tenant = ctx.sim.state.tenant;
  const build = tenant.versionNumber.split('.').pop() ?? '0';
  return {
    status: 200,
    body: {
      version: `${versionCode(tenant.codebase)}.${build}`,
      isCloud: tenant.isCloud,
      serverTimeZone: tenant.serverTimeZone,
      licenseBits: [
        { name: 'Agreements', activeFlag: true },
        { name: 'Procurement', activeFlag: true },
      ],
      cloudRegion: 'NA',
      maxWorkFlowRecordsAllowed: 1000,
    },
  };
}

/** `MyMember`: a single object (not an array) describing the authenticated member. */
function myMember(ctx: RequestContext): Reply {
  const { member, sim } = ctx;
  const role = sim.state.securityRoles.find((r) => r.id === member.securityRoleId);
  const body = {
    id: member.id,
    identifier: member.identifier,
    firstName: member.firstName,
    lastName: member.lastName,
    licenseClass: member.licenseClass ?? 'A',
    disableOnlineFlag: false,
    enableMobileFlag: false,
    inactiveFlag: member.inactiveFlag ?? false,
    defaultEmail: 'Office',
    defaultPhone: 'Office',
    securityRole: role ? { id: role.id, name: role.name } : undefined,
    adminFlag: false,
    _info: { lastUpdated: ctx.now, updatedBy: member.identifier },
  };
  const rendered = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  if (role) {
    rendered.securityRole = { id: role.id, name: role.name, _info: { securityRole_href: `${ctx.hrefBase}system/securityroles/${role.id}` } };
  }
  return { status: 200, body: rendered };
}
