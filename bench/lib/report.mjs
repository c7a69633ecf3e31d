// A self-contained HTML report: inline SVG charts (no scripts, no network), the tables, the raw JSON.
const COLORS = { notesync: '#1565c0', baseline: '#c62828', 'baseline-addons': '#ef6c00', 'baseline-cluster': '#6a1b9a' };
const color = (kind) => COLORS[kind] ?? '#2e7d32'; // the notesync cluster of --nodes N
const esc = (s) => String(s ?? '-').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function chart({ title, series, xLabel, yLabel, logY = false, hline = null }) {
  const W = 720, H = 380, L = 70, R = 20, T = 36, B = 50;
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return '';
  const xMax = Math.max(...pts.map((p) => p[0])) * 1.05 || 1;
  const ys = pts.map((p) => p[1]).filter((y) => y > 0).concat(hline ? [hline.y] : []);
  const yMin = logY ? Math.pow(10, Math.floor(Math.log10(Math.min(...ys)))) : 0;
  const yMax = logY ? Math.pow(10, Math.ceil(Math.log10(Math.max(...ys)))) : Math.max(...ys) * 1.1;
  const sx = (x) => L + (x / xMax) * (W - L - R);
  const sy = (y) => logY ? T + (1 - (Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - T - B)
    : T + (1 - y / yMax) * (H - T - B);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`;
  svg += `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`;
  svg += `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`;
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    svg += `<line x1="${sx(x)}" y1="${H - B}" x2="${sx(x)}" y2="${H - B + 5}" stroke="#333"/><text x="${sx(x)}" y="${H - B + 18}" text-anchor="middle">${Math.round(x)}</text>`;
  }
  const yTicks = logY ? Array.from({ length: Math.round(Math.log10(yMax / yMin)) + 1 }, (_, i) => yMin * 10 ** i) : [0, 1, 2, 3, 4, 5].map((i) => (yMax * i) / 5);
  for (const y of yTicks) {
    svg += `<line x1="${L}" y1="${sy(y)}" x2="${W - R}" y2="${sy(y)}" stroke="#eee"/><text x="${L - 6}" y="${sy(y) + 4}" text-anchor="end">${y >= 1 ? Math.round(y) : y}</text>`;
  }
  if (hline) {
    svg += `<line x1="${L}" y1="${sy(hline.y)}" x2="${W - R}" y2="${sy(hline.y)}" stroke="#888" stroke-dasharray="6 4"/>` +
      `<text x="${W - R - 4}" y="${sy(hline.y) - 4}" text-anchor="end" fill="#666">${esc(hline.label)}</text>`;
  }
  svg += `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>`;
  svg += `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
  series.forEach((s, k) => {
    const p = s.points.filter((q) => q[1] > 0 || !logY);
    if (!p.length) return;
    svg += `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''} points="${p.map((q) => `${sx(q[0]).toFixed(1)},${sy(q[1]).toFixed(1)}`).join(' ')}"/>`;
    for (const q of p) svg += `<circle cx="${sx(q[0]).toFixed(1)}" cy="${sy(q[1]).toFixed(1)}" r="3" fill="${s.color}"><title>${esc(s.name)}: ${q[0]}/s, ${q[1]}</title></circle>`;
    svg += `<line x1="${L + 12}" y1="${T + 10 + k * 16}" x2="${L + 36}" y2="${T + 10 + k * 16}" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>` +
      `<text x="${L + 42}" y="${T + 14 + k * 16}">${esc(s.name)}</text>`;
  });
  return svg + '</svg>';
}

function htmlTable(header, rows) {
  return `<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) =>
    `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function renderHtml(rep) {
  const ladder = (kind) => (rep.results[kind]?.steady?.steps ?? []).filter((s) => s.offeredPerSec);
  const kinds = Object.keys(rep.results);
  const lat = [];
  const thr = [];
  for (const k of kinds) {
    const st = ladder(k);
    lat.push({ name: `${k} confirmation p99`, color: color(k), points: st.map((s) => [s.offeredPerSec, s.confirmation.p99]) });
    lat.push({ name: `${k} confirmation p50`, color: color(k), dash: '2 3', points: st.map((s) => [s.offeredPerSec, s.confirmation.p50]) });
    lat.push({ name: `${k} fPacket p99`, color: color(k), dash: '8 4', points: st.map((s) => [s.offeredPerSec, s.fPacket.p99]) });
    thr.push({ name: `${k} confirmed packets/s`, color: color(k), points: st.map((s) => [s.offeredPerSec, s.confirmedPerSec]) });
  }
  const stepRows = [];
  for (const k of kinds) for (const sc of ['steady', 'fanout']) for (const s of rep.results[k][sc]?.steps ?? []) {
    stepRows.push([k, sc, s.label, s.confirmedPerSec, s.notesPerSec, s.confirmation.p50, s.confirmation.p90, s.confirmation.p99,
      s.confirmation.max, s.fPacket.p50, s.fPacket.p99, s.fPacket.max, s.connectionsHeld, s.server?.cpuPercent, s.db?.cpuPercent,
      s.generator?.cpuPercent, s.server?.rssMB, JSON.stringify(s.errors)]);
  }
  const other = [];
  for (const k of kinds) {
    const b = rep.results[k].burst;
    if (b) other.push([k, 'burst', `${b.connected}/${b.burstSockets} connected in ${b.allConnectedMs} ms; ${b.confirmed} confirmed, all answered in ${b.allAnsweredMs} ms; confirmation p50/p99/max ${b.confirmation.p50}/${b.confirmation.p99}/${b.confirmation.max} ms; server CPU ${b.server.cpuPercent}%; errors ${JSON.stringify(b.errors)}`]);
    const i = rep.results[k].idle;
    if (i) other.push([k, 'idle', `${i.connectionsHeld}/${i.attempted} held; RSS ${i.server.rssBeforeMB} -> ${i.server.rssMB} MB (${i.server.rssPerConnKB} KiB/conn, ${i.server.rssFor20kMB} MB at 20k); heap ${i.server.heapBeforeMB} -> ${i.server.heapMB} MB (${i.server.heapPerConnKB} KiB/conn); native ${i.server.nativePerConnKB} KiB/conn; errors ${JSON.stringify(i.errors)}`]);
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>notesync vs Node socket.io baseline</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0;font-size:12px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
pre{background:#f7f7f7;padding:8px;font-size:11px;max-height:400px;overflow:auto}</style></head><body>
<h1>notesync vs Node socket.io baseline</h1>
<p>${esc(rep.meta.date)} · ${esc(rep.meta.cpus)} CPUs (${esc(rep.meta.cpuModel)}) · ${esc(rep.meta.memGB)} GiB · node ${esc(rep.meta.node)} · ${esc(rep.meta.java)} · git ${esc(rep.meta.git)}${rep.meta.quick ? ' · <b>quick smoke run</b>' : ''}</p>
${chart({ title: 'Latency vs offered load (steady scenario)', series: lat, xLabel: 'offered packets/s', yLabel: 'ms (log)', logY: true, hline: { y: 50, label: 'p99 50 ms: the ladder stops here' } })}
${chart({ title: 'Confirmed vs offered load', series: thr, xLabel: 'offered packets/s', yLabel: 'confirmed packets/s' })}
${rep.nodeRatios ? `<h2>notesync ${esc(rep.meta.nodes)} nodes / 1 node ratios</h2>${htmlTable(['ratio', 'value'], Object.entries(rep.nodeRatios))}` : ''}
<h2>notesync / Node anchor ratios</h2>${htmlTable(['ratio', ...Object.keys(rep.ratios)],
  Object.keys(Object.values(rep.ratios)[0] ?? {}).map((k) => [k, ...Object.keys(rep.ratios).map((a) => rep.ratios[a][k])]))}
${rep.storeCeiling ? `<h2>Store ceiling (packets/s)</h2>${htmlTable(['batch', 'packets/s'], Object.entries(rep.storeCeiling))}` : ''}
<h2>Targets</h2>${htmlTable(['target', 'measured', 'met'], Object.entries(rep.targets).map(([k, v]) => [k, JSON.stringify(v), v.met]))}
<h2>Steps</h2>${htmlTable(['server', 'scenario', 'step', 'conf pkt/s', 'notes/s', 'conf p50', 'p90', 'p99', 'max', 'fPkt p50', 'p99', 'max', 'held', 'srv CPU%', 'db CPU%', 'gen CPU%', 'srv RSS MB', 'errors'], stepRows)}
<h2>Burst and idle</h2>${htmlTable(['server', 'scenario', 'result'], other)}
<h2>Raw results</h2><pre>${esc(JSON.stringify(rep, null, 2))}</pre></body></html>`;
}
