/**
 * One set of settings defaults: what a partner who saved none is shown (GET …/integration/settings), what the export
 * reads for it, and what the database's column defaults give a bare export_settings row are all
 * @cwx/domain's DEFAULT_EXPORT_SETTINGS (the users CSV on).
 */
import request from 'supertest';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from '@cwx/domain';
import { toExportSettings } from '@cwx/jobs';
import { exportSettings, partners, type Database } from '@cwx/persistence';
import { eq } from 'drizzle-orm';
import { DATABASE } from '../../apps/control-plane/src/database/database.module';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

/** The API's settings body as the export's settings. */
function fromResponse(body: {
  data: { products: boolean; quantity: boolean; cost: boolean; retailPrice: boolean; usersList: boolean };
  disappearedSku: 'zero' | 'cancel';
  missingRetailPrice: ExportSettings['missingRetailPrice'];
  suspendedAccounts: ExportSettings['suspendedAccounts'];
  cancelledAccounts: ExportSettings['cancelledAccounts'];
}): ExportSettings {
  return {
    ...body.data,
    disappearedSku: { mode: body.disappearedSku },
    missingRetailPrice: body.missingRetailPrice,
    suspendedAccounts: body.suspendedAccounts,
    cancelledAccounts: body.cancelledAccounts,
  };
}

describe('settings defaults', () => {
  let cp: TestControlPlane;
  let db: Database;

  beforeAll(async () => {
    cp = await startTestControlPlane();
    db = cp.app.get<Database>(DATABASE);
  }, 60_000);

  afterAll(async () => {
    await cp?.close();
  });

  const get = async (partnerId: string) =>
    (await request(cp.app.getHttpServer()).get(`/partners/${partnerId}/integration/settings`).auth(await partnerToken(partnerId), { type: 'bearer' }).expect(200))
      .body as Parameters<typeof fromResponse>[0] & { version: number };

  it('exports the users CSV by default', () => {
    expect(DEFAULT_EXPORT_SETTINGS.usersList).toBe(true);
  });

  it("a fresh partner's settings, as the API shows them and as the export reads them, are the defaults", async () => {
    const shown = await get('fresh-partner');
    expect(shown.version).toBe(0);
    expect(fromResponse(shown)).toEqual(DEFAULT_EXPORT_SETTINGS);
    expect(toExportSettings(undefined)).toEqual(DEFAULT_EXPORT_SETTINGS);
  });

  it("the database's column defaults are the same defaults", async () => {
    await db.insert(partners).values({ id: 'bare-row', name: 'Bare row' });
    await db.insert(exportSettings).values({ partnerId: 'bare-row' });
    const [row] = await db.select().from(exportSettings).where(eq(exportSettings.partnerId, 'bare-row'));
    expect(toExportSettings(row)).toEqual(DEFAULT_EXPORT_SETTINGS);
    const { version: _stored, ...shown } = await get('bare-row');
    const { version: _none, ...fresh } = await get('fresh-partner');
    expect(shown).toEqual(fresh);
  });
});
