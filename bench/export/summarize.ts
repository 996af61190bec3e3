/**
 * Medians over export benchmark reports: one row per (phase, accounts, workers, partners, rate).
 *
 *   node dist/bench/export/summarize.js bench/results/export-*.json
 */
import { readFileSync } from 'node:fs';

interface Case {
  phase: string;
  accounts: number;
  skusPerAccount: number;
  workers: number;
  partners: number;
  rate: number;
  calls: number;
  minimumCalls: number;
  callsOverMinimum: number;
  writes: number;
  minimumWrites: number;
  wallSeconds: number;
  boundSeconds: number;
  wallOverBound: number;
  largestSinglePartnerWallSeconds: number;
  throttled: number;
  allSucceeded: boolean;
  workerCpuSecondsPerCall: number;
  workerCpuMsPerAccount: number;
  cpu: { workers: { cpuSeconds: number; peakRssMiB: number }[]; simulators: { cpuSeconds: number }[]; controlPlane: { cpuSeconds: number; heapUsedAfterGcMiB?: number }; infrastructure?: Record<string, number> };
  perPartner: { verify: { residualWrites: number; duplicateAdditions: number } }[];
  load: string;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function main(): void {
  const files = process.argv.slice(2);
  const groups = new Map<string, Case[]>();
  const order = ['first', 'unchanged', 'changed'];
  for (const file of files) {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] };
    for (const c of report.cases) {
      const key = JSON.stringify([c.rate, c.accounts, c.partners, c.workers, order.indexOf(c.phase)]);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const x = JSON.parse(a) as number[];
    const y = JSON.parse(b) as number[];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  });
  console.log('| R/min | N × K | P | W | phase | n | calls | minimum | calls / min | writes (min) | wall s | bound s | wall / bound | 429s | worker CPU s | worker CPU ms / call | worker CPU ms / account | worker peak RSS MiB | sim CPU s | control plane CPU s | PostgreSQL / RabbitMQ / Redis CPU s (shared) | load (1 min) | correct |');
  console.log('|---:|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|');
  for (const key of keys) {
    const cases = groups.get(key)!;
    const c0 = cases[0];
    const m = (f: (c: Case) => number) => median(cases.map(f));
    const workerCpu = (c: Case) => c.cpu.workers.reduce((s, w) => s + w.cpuSeconds, 0);
    const correct = cases.every((c) => c.allSucceeded && c.perPartner.every((p) => p.verify.residualWrites === 0 && p.verify.duplicateAdditions === 0));
    console.log(
      `| ${c0.rate} | ${c0.accounts} × ${c0.skusPerAccount} | ${c0.partners} | ${c0.workers} | ${c0.phase} | ${cases.length} | ${m((c) => c.calls)} | ${m((c) => c.minimumCalls)} | ` +
        `${m((c) => c.callsOverMinimum).toFixed(3)} | ${m((c) => c.writes)} (${m((c) => c.minimumWrites)}) | ${m((c) => c.wallSeconds).toFixed(1)} | ${m((c) => c.boundSeconds).toFixed(1)} | ` +
        `${m((c) => c.wallOverBound).toFixed(2)} | ${m((c) => c.throttled)} | ${m(workerCpu).toFixed(1)} | ${(m((c) => c.workerCpuSecondsPerCall) * 1000).toFixed(2)} | ` +
        `${m((c) => c.workerCpuMsPerAccount).toFixed(1)} | ${Math.max(...cases.flatMap((c) => c.cpu.workers.map((w) => w.peakRssMiB))).toFixed(0)} | ` +
        `${m((c) => c.cpu.simulators.reduce((s, w) => s + w.cpuSeconds, 0)).toFixed(1)} | ${m((c) => c.cpu.controlPlane.cpuSeconds).toFixed(1)} | ` +
        `${['postgres', 'beam.smp', 'redis-server'].map((n) => m((c) => c.cpu.infrastructure?.[n] ?? 0).toFixed(1)).join(' / ')} | ` +
        `${cases.map((c) => c.load.split(' ')[0]).join(', ')} | ${correct ? 'yes' : 'NO'} |`,
    );
  }
}

main();
