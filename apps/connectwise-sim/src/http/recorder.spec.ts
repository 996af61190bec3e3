import { RequestRecorder, type RecordedRequest } from './recorder';

const entry = (method: string, status = 200): RecordedRequest => ({
  method,
  path: `/v2025_1/apis/3.0/x`,
  apiPath: '/x',
  query: '',
  status,
  time: new Date(0).toISOString(),
  durationMs: 1,
});

describe('RequestRecorder.onRecord', () => {
  it('tells each listener about every request, in order, until it unsubscribes', () => {
    const recorder = new RequestRecorder();
    const seen: string[] = [];
    const stop = recorder.onRecord((e) => seen.push(`${e.method} ${e.status}`));
    recorder.add(entry('POST', 201));
    recorder.add(entry('GET'));
    stop();
    recorder.add(entry('PATCH'));
    expect(seen).toEqual(['POST 201', 'GET 200']);
    expect(recorder.count()).toBe(3);
  });

  it('drops a listener that throws and still records the request', () => {
    const recorder = new RequestRecorder();
    let calls = 0;
    recorder.onRecord(() => {
      calls++;
      throw new Error('listener bug');
    });
    recorder.add(entry('POST'));
    recorder.add(entry('POST'));
    expect(calls).toBe(1);
    expect(recorder.count({ method: 'POST' })).toBe(2);
  });
});
