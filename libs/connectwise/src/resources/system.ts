import type { ConnectWiseApi } from '../http/api';
import { listAll } from '../paging';
import type { MyMember, MySecurity, SystemInfo } from '../types';

/** `/system/info`, `/system/myMembers`, `/system/mySecurity`: any authenticated member may read them. */
export class SystemResource {
  constructor(private readonly api: ConnectWiseApi) {}

  async info(): Promise<SystemInfo> {
    return (await this.api.request<SystemInfo>({ method: 'GET', path: '/system/info' })).data;
  }

  /** The calling API member's own record. */
  async myMember(): Promise<MyMember> {
    return (await this.api.request<MyMember>({ method: 'GET', path: '/system/myMembers' })).data;
  }

  /** The calling member's effective permissions, one row per module function. */
  mySecurity(): Promise<MySecurity[]> {
    return listAll<MySecurity>(this.api, '/system/mySecurity', { orderBy: null });
  }
}
