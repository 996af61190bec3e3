import { replaceOps, type Addition } from './types';

describe('replaceOps', () => {
  it('builds one replace operation per defined field, paths without a slash', () => {
    expect(replaceOps<Addition>({ quantity: 12, unitPrice: 25.5, cancelledDate: undefined })).toEqual([
      { op: 'replace', path: 'quantity', value: 12 },
      { op: 'replace', path: 'unitPrice', value: 25.5 },
    ]);
  });
});
