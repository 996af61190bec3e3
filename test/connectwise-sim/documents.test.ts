import { type RunningSimulator, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw } from './helpers';

const form = (fields: Record<string, string>, file?: { name: string; content: string; type?: string }): FormData => {
  const data = new FormData();
  if (file) data.append('file', new Blob([file.content], { type: file.type ?? 'text/csv' }), file.name);
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

describe('system/documents', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('upload (multipart) → list by record → download → delete', async () => {
    const api = cw(sim);
    const csv = 'user,services\nalice@acme.example,"M365, Backup"\n';
    const created = await api.post(
      'system/documents',
      form({ recordType: 'Agreement', recordId: '1', title: 'Users', privateFlag: 'true' }, { name: 'users.csv', content: csv }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      title: 'Users',
      fileName: 'users.csv',
      owner: 'apiuser',
      publicFlag: false,
      readOnlyFlag: false,
      size: Buffer.byteLength(csv),
      guid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _info: { lastUpdated: expect.any(String) },
    });
    expect(created.body).not.toHaveProperty('recordType');
    const id = created.body.id as number;

    const listed = await api.get('system/documents?recordType=Agreement&recordId=1');
    expect(listed.body.map((d: { id: number }) => d.id)).toEqual([id]);
    expect((await api.get('system/documents?recordType=Agreement&recordId=2')).body).toEqual([]);
    expect((await api.get('system/documents/count?recordType=Agreement&recordId=1')).body).toEqual({ count: 1 });
    expect((await api.get(`system/documents/${id}`)).body).toEqual(created.body);

    const download = await api.get(`system/documents/${id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="users.csv"');
    expect(download.body).toBe(csv);
    expect(sim.state.documentContent(id)?.toString()).toBe(csv);

    expect((await api.del(`system/documents/${id}`)).status).toBe(204);
    expect((await api.get(`system/documents/${id}`)).status).toBe(404);
    expect((await api.get(`system/documents/${id}/download`)).status).toBe(404);
  });

  it('JSON instead of multipart is 415', async () => {
    const res = await cw(sim).post('system/documents', { recordType: 'Agreement', recordId: 1, title: 'x', file: 'aGVsbG8=' });
    expect(res.status).toBe(415);
    expect(sim.state.documents()).toHaveLength(0);
  });

  it('validation: missing file and record, unknown record, unsupported record type', async () => {
    const api = cw(sim);
    const missing = await api.post('system/documents', form({ title: 'x' }));
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['file', 'recordType', 'recordId']);
    const unknown = await api.post('system/documents', form({ recordType: 'Agreement', recordId: '99' }, { name: 'a.txt', content: 'a' }));
    expect(unknown.body.errors).toEqual([expect.objectContaining({ code: 'NotFound', field: 'recordId' })]);
    const badType = await api.post('system/documents', form({ recordType: 'Spaceship', recordId: '1' }, { name: 'a.txt', content: 'a' }));
    expect(badType.body.errors[0]).toMatchObject({ code: 'InvalidField', field: 'recordType' });
  });

  it('rights follow the record: the limited member can list but not upload to an agreement', async () => {
    const limited = cw(sim, { publicKey: 'limited-public', privateKey: 'limited-private' });
    const res = await limited.post('system/documents', form({ recordType: 'Agreement', recordId: '1' }, { name: 'a.txt', content: 'a' }));
    expect(res.status).toBe(403);
    expect((await limited.get('system/documents?recordType=Agreement&recordId=1')).status).toBe(200);
    const company = await limited.post('system/documents', form({ recordType: 'Company', recordId: '2' }, { name: 'logo.png', content: 'png', type: 'image/png' }));
    expect(company.status).toBe(201);
    expect(company.body).toMatchObject({ imageFlag: true, publicFlag: true, title: 'logo.png' });
  });
});
