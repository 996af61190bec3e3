import { unique, useSimulator } from './helpers';

describe('system documents over real HTTP', () => {
  const ctx = useSimulator();
  let agreementId: number;

  beforeAll(async () => {
    const [agreement] = await ctx.client.agreements.list({ pageSize: 1 });
    if (agreement?.id === undefined) throw new Error('the demo seed has no agreement');
    agreementId = agreement.id;
  });

  it('uploads a CSV to an agreement, lists it, downloads the same bytes, deletes it', async () => {
    const title = unique('Users');
    const csv = 'user,services\r\nada@example.com,"Mail, Teams"\r\nbob@example.com,Mail\r\n';

    const doc = await ctx.client.documents.upload({ recordType: 'Agreement', recordId: agreementId, title, fileName: 'users.csv', content: csv, contentType: 'text/csv' });
    expect(doc).toMatchObject({ title });
    expect(typeof doc.id).toBe('number');
    const id = doc.id ?? 0;

    const listed = await ctx.client.documents.listByRecord('Agreement', agreementId);
    expect(listed.map((d) => d.id)).toContain(id);
    expect(await ctx.client.documents.findByTitle('Agreement', agreementId, title)).toMatchObject({ id });

    const downloaded = await ctx.client.documents.download(id);
    expect(downloaded.content.toString('utf8')).toBe(csv);
    expect(downloaded.fileName).toBe('users.csv');

    const binary = Buffer.from([0, 1, 2, 253, 254, 255]);
    const bin = await ctx.client.documents.upload({ recordType: 'Agreement', recordId: agreementId, title: unique('Bin'), fileName: 'b.bin', content: binary });
    expect((await ctx.client.documents.download(bin.id ?? 0)).content.equals(binary)).toBe(true);

    await ctx.client.documents.delete(id);
    expect((await ctx.client.documents.listByRecord('Agreement', agreementId)).map((d) => d.id)).not.toContain(id);
  });
});
