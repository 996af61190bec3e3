import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP hop in front of the simulator that lets a request reach it, waits for the simulator's full
 * answer (so the write happened), then destroys the client's connection instead of relaying it: a response
 * lost on the way back. The simulator's own `failNext({drop})` drops before the request is processed.
 */
export interface DropProxy {
  host: string;
  baseUrl: string;
  /** Lose the answer of the next `count` requests matching method and path. */
  loseNextAnswer(rule: { method: string; path: RegExp; count?: number }): void;
  close(): Promise<void>;
}

export async function startDropProxy(target: string): Promise<DropProxy> {
  const rules: { method: string; path: RegExp; remaining: number }[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const rule = rules.find((r) => r.method === req.method && r.path.test((req.url ?? '').split('?')[0] ?? ''));
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) rules.splice(rules.indexOf(rule), 1);
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (rule) {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}`,
    loseNextAnswer: ({ method, path, count }) => {
      rules.push({ method, path, remaining: count ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
