// The headline of a gwbench run for BENCHMARKS.md: per scenario, each target's throughput,
// added latency and CPU per request, and where Moat stands against the goals of issue 2.
import { readFileSync } from 'node:fs';

const run = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const fmt = (v, digits = 2) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));
const rows = ['| delay ms | scenario | target | req/s | × nginx | added p50 ms | added p99 ms | proxy CPU ms/req |', '|--:|---|---|--:|--:|--:|--:|--:|'];
for (const cell of run.summary) {
  const cpu = cell.target === 'direct' ? `(mock ${fmt(cell.mock_cpu_ms_per_req, 3)})` : fmt(cell.sut_cpu_ms_per_req, 3);
  rows.push(`| ${cell.delay_ms} | ${cell.scenario} | ${cell.label}${cell.saturated ? ' (saturated)' : ''} | ${fmt(cell.rps_median, 0)} | ${fmt(cell.x_nginx, 3)} | ${fmt(cell.added_p50_ms)} | ${fmt(cell.added_p99_ms)} | ${cpu} |`);
}
console.log(rows.join('\n'));
const conc = (label) => run.summary.find((c) => c.delay_ms === 0 && c.scenario === 'conc' && c.label === label);
const moat = conc('moat');
if (moat) {
  console.log();
  console.log(`Goals (issue 2): at most 0.25 ms of CPU per request, at least 0.5 × nginx's throughput (conc, 0 ms). ` +
    `Moat: ${fmt(moat.sut_cpu_ms_per_req, 3)} ms/req, ${fmt(moat.x_nginx, 3)} × nginx.`);
}
