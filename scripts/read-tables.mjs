// Reads an overparam output folder with DuckDB (an independent Parquet reader, not Spark) and
// checks what every user of the tables relies on: one row per trial id, the documented columns,
// and a curve for every trial that starts at step 0 with loss0. Prints a short per-status table.
// Usage: node scripts/read-tables.mjs OUT_DIR   (needs @duckdb/node-api; scripts/check-readers.sh installs it)
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/read-tables.mjs OUT_DIR');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
const trials = `read_parquet('${dir}/trials/*.parquet')`;
const curves = `read_parquet('${dir}/curves/*.parquet')`;

const fail = (msg) => { console.error(`read-tables: FAIL: ${msg}`); process.exit(1); };
const cols = (await rows(`DESCRIBE SELECT * FROM ${trials}`)).map((r) => r.column_name);
for (const c of ['trial_id', 'sweep', 'model', 'alpha', 'm', 'n', 'd', 'eta', 'seed', 'status', 'message',
  'steps', 'loss0', 'loss_final', 'rate', 'rate_r2', 'wall_ms', 'backend']) {
  if (!cols.includes(c)) fail(`trials lacks column ${c}`);
}
const [count] = await rows(`SELECT count(*) AS n, count(DISTINCT trial_id) AS ids FROM ${trials}`);
if (count.n !== count.ids) fail(`${count.n} rows but ${count.ids} distinct trial ids`);
const [bad] = await rows(`
  SELECT count(*) AS n FROM ${trials} t
  LEFT JOIN (SELECT trial_id, loss FROM ${curves} WHERE step = 0) c USING (trial_id)
  WHERE t.status <> 'failed' AND (c.loss IS NULL OR c.loss <> t.loss0)`);
if (bad.n !== 0n && bad.n !== 0) fail(`${bad.n} trials without a curve starting at loss0`);
console.log(`duckdb read ${count.n} trials from ${dir}`);
for (const r of await rows(`SELECT status, count(*) AS trials, median(steps) AS median_steps,
    median(rate) AS median_rate FROM ${trials} GROUP BY status ORDER BY status`)) {
  console.log(`  ${r.status.padEnd(10)} ${String(r.trials).padStart(6)} trials  median steps ${r.median_steps}  median rate ${Number(r.median_rate).toPrecision(4)}`);
}

// The derived tables (overparam aggregate), when present: one threshold per group, every tested width.
const fs = await import('node:fs');
if (fs.existsSync(`${dir}/thresholds`)) {
  const thresholds = `read_parquet('${dir}/thresholds/*.parquet')`;
  const [t] = await rows(`SELECT count(*) AS widths, count(DISTINCT (model, alpha, n, d, eta)) AS groups,
      count(DISTINCT (model, alpha, n, d, eta, m_star_status, m_star)) AS thresholds,
      sum(CASE WHEN converged > seeds OR success_lo > success OR success_hi < success THEN 1 ELSE 0 END) AS bad
      FROM ${thresholds}`);
  if (t.groups !== t.thresholds) fail(`thresholds: ${t.groups} groups but ${t.thresholds} distinct thresholds`);
  if (t.bad !== 0n && t.bad !== 0) fail(`thresholds: ${t.bad} rows with a success fraction outside its interval`);
  const [w] = await rows(`SELECT count(*) AS n FROM (SELECT DISTINCT model, alpha, n, d, eta, m FROM ${trials}) x`);
  if (w.n !== t.widths) fail(`thresholds: ${t.widths} rows but the trials have ${w.n} (group, width) pairs`);
  console.log(`duckdb read ${t.widths} threshold rows (${t.groups} groups) from ${dir}/thresholds`);
}
