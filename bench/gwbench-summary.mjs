// The headline of a gwbench run for BENCHMARKS.md: per scenario, each target's throughput,
// added latency and CPU per request, the bare Node floor beside them (a second gwbench pass,
// whose gw rows are added), and where Moat stands against the goals of issue 12.
//   node bench/gwbench-summary.mjs moat.json [bare.json]
import { existsSync, readFileSync } from 'node:fs';

const run = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const bare = process.argv[3] && existsSync(process.argv[3]) ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : undefined;
const fmt = (v, digits = 2) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));
const key = (cell) => `${cell.delay_ms}|${cell.scenario}`;
const bareRows = new Map();
for (const cell of bare?.summary ?? []) if (cell.target === 'gw') bareRows.set(key(cell), { ...cell, label: `${cell.label} (own pass)` });

const rows = ['| delay ms | scenario | target | req/s | × nginx | added p50 ms | added p99 ms | proxy CPU ms/req |', '|--:|---|---|--:|--:|--:|--:|--:|'];
const row = (cell) => {
  const cpu = cell.target === 'direct' ? `(mock ${fmt(cell.mock_cpu_ms_per_req, 3)})` : fmt(cell.sut_cpu_ms_per_req, 3);
  rows.push(`| ${cell.delay_ms} | ${cell.scenario} | ${cell.label}${cell.saturated ? ' (saturated)' : ''} | ${fmt(cell.rps_median, 0)} | ${fmt(cell.x_nginx, 3)} | ${fmt(cell.added_p50_ms)} | ${fmt(cell.added_p99_ms)} | ${cpu} |`);
};
const cells = run.summary;
cells.forEach((cell, at) => {
  row(cell);
  // The floor goes after the last target of its scenario.
  const next = cells[at + 1];
  if ((!next || key(next) !== key(cell)) && bareRows.has(key(cell))) row(bareRows.get(key(cell)));
});
console.log(rows.join('\n'));

const find = (delay, scenario, label) => cells.find((c) => c.delay_ms === delay && c.scenario === scenario && c.label === label);
const moat = (delay, scenario) => find(delay, scenario, 'moat');
const nginx = (delay, scenario) => find(delay, scenario, 'nginx');
const goals = [
  ['throughput, 32 conns, 0 ms', '>= 0.5 x nginx', () => moat(0, 'conc')?.x_nginx, (v) => v >= 0.5, (v) => `${fmt(v, 3)} x`],
  ['streaming throughput', '>= 0.3 x nginx', () => moat(0, 'stream')?.x_nginx, (v) => v >= 0.3, (v) => `${fmt(v, 3)} x`],
  ['proxy CPU at 50 req/s', '<= 2 x nginx', () => moat(0, 'lowrate') && nginx(0, 'lowrate') && moat(0, 'lowrate').sut_cpu_ms_per_req / nginx(0, 'lowrate').sut_cpu_ms_per_req, (v) => v <= 2, (v) => `${fmt(v, 1)} x`],
  ['added p50 at 50 req/s', '<= 0.5 ms', () => moat(0, 'lowrate')?.added_p50_ms, (v) => v <= 0.5, (v) => `${fmt(v)} ms`],
  ['throughput, 20 ms upstream', '>= 0.95 x nginx', () => moat(20, 'conc')?.x_nginx, (v) => v >= 0.95, (v) => `${fmt(v, 3)} x`],
];
if (moat(0, 'conc')) {
  console.log();
  console.log('| goal (issue 12) | target | Moat | met |');
  console.log('|---|---|--:|---|');
  for (const [name, target, value, met, show] of goals) {
    const v = value();
    console.log(`| ${name} | ${target} | ${v === undefined || v === null || Number.isNaN(v) ? '–' : show(v)} | ${v === undefined || v === null ? '–' : met(v) ? 'yes' : 'no'} |`);
  }
}
