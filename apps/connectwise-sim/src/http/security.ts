import type { SecurityFunction } from '../resources/resource-def';
import type { SimMember, SimState } from '../simulator/state';
import { ApiError } from './api-error';

export type SecurityAction = 'add' | 'edit' | 'delete' | 'inquire';

export function actionOf(method: string): SecurityAction {
  switch (method) {
    case 'POST':
      return 'add';
    case 'PUT':
    case 'PATCH':
      return 'edit';
    case 'DELETE':
      return 'delete';
    default:
      return 'inquire';
  }
}

/** Whether the member's role grants the action on the function (`My` counts as granted: ownership is not modelled). */
export function isAllowed(state: SimState, member: SimMember, fn: SecurityFunction, action: SecurityAction): boolean {
  const role = state.securityRoles.find((r) => r.id === member.securityRoleId);
  const permission = role?.permissions.find(
    (p) => p.moduleIdentifier.toLowerCase() === fn.module.toLowerCase() && p.moduleFunctionIdentifier.toLowerCase() === fn.fn.toLowerCase(),
  );
  const level = permission?.[`${action}Level`] ?? 'None';
  return level !== 'None';
}

/** 403 `{"code":"Security",…}` unless the member's role allows the action (docs/connectwise-permissions.md). */
export function assertAllowed(state: SimState, member: SimMember, fn: SecurityFunction, action: SecurityAction): void {
  if (!isAllowed(state, member, fn, action)) throw ApiError.security();
}
