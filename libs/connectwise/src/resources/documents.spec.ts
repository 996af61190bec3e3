import { fileNameFromDisposition } from './documents';

describe('fileNameFromDisposition', () => {
  it('reads quoted, bare and RFC 5987 file names', () => {
    expect(fileNameFromDisposition('attachment; filename="users.csv"')).toBe('users.csv');
    expect(fileNameFromDisposition('attachment; filename=users.csv')).toBe('users.csv');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''users%20list.csv")).toBe('users list.csv');
    expect(fileNameFromDisposition(undefined)).toBeUndefined();
    expect(fileNameFromDisposition('inline')).toBeUndefined();
  });
});
