/**
 * An HTTP hop in front of the simulator that forwards a request, lets the simulator finish it (the write
 * happens), then cuts the client's connection instead of relaying the answer: a response lost on the way
 * back. (The simulator's own `failNext({ drop: true })` drops a request before processing it.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LostAnswerProxy {
  host: string;
  baseUrl: string;
  loseNextAnswer(rule: { method: string; path: RegExp }): void;
  close(): Promise<void>;
}

export async function startLostAnswerProxy(targetBaseUrl: string): Promise<LostAnswerProxy> {
  const target = new URL(targetBaseUrl);
  const rules: { method: string; path: RegExp }[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const index = rules.findIndex((r) => r.method === req.method && r.path.test(path));
    const lose = index >= 0;
    if (lose) rules.splice(index, 1);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}`,
    loseNextAnswer: (rule) => rules.push(rule),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
