// Summarises a V8 .cpuprofile (from BENCH_PROFILE): where the app's time goes, by function and by
// package or source file, self time first. `node dist/bench/profile-summary.js <file> [top]`.
import fs from 'node:fs';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function owner(url: string): string {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /\/dist\/(.*)$/.exec(url);
  if (d) return d[1];
  return url.startsWith('node:') ? url : url.replace(/^.*\//, '');
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => /\(idle\)|\(program\)|\(garbage collector\)/.test(byId.get(id)!.callFrame.functionName));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${owner(url)}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const p = /^\((idle|program|garbage collector)\)$/.test(functionName) ? functionName : owner(url);
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  // Inclusive: a sample counts once for every package or file on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      if (url) seen.add(owner(url));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`total ${(total / 1e6).toFixed(1)} s sampled; ${idle.map(([id, us]) => `${byId.get(id)!.callFrame.functionName} ${pct(us)}`).join(', ')}`);
  console.log('\nby package / file (self time):');
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
  console.log('\nby package / file (inclusive):');
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
  console.log('\nby function (self time):');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
  longTasks(profile, byId, parent, top);
}

/**
 * The event loop's long tasks: runs of samples with no idle sample between them, longer than 40 ms,
 * each with the functions that took its time (inclusive, app and package frames only). A gap in the
 * sampling itself (the process not scheduled) is shown apart: that is the machine, not the code.
 */
function longTasks(profile: Profile, byId: Map<number, Node>, parent: Map<number, number>, top: number): void {
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  type Task = { start: number; us: number; samples: number[]; maxGap: number };
  const tasks: Task[] = [];
  let cur: Task | null = null;
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (idleIds.has(id)) {
      if (cur && cur.us > 40_000) tasks.push(cur);
      cur = null;
      return;
    }
    cur ??= { start: t - dt, us: 0, samples: [], maxGap: 0 };
    cur.us += dt;
    cur.maxGap = Math.max(cur.maxGap, dt);
    cur.samples.push(id);
  });
  tasks.sort((a, b) => b.us - a.us);
  console.log(`\nlong tasks (over 40 ms without an idle sample): ${tasks.length}`);
  for (const task of tasks.slice(0, Math.min(top, 10))) {
    const inclusive = new Map<string, number>();
    for (const id of task.samples) {
      const seen = new Set<string>();
      for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
        const f = byId.get(c)!.callFrame;
        if (!f.url || f.url.startsWith('node:')) continue;
        seen.add(`${f.functionName || '(anonymous)'} ${owner(f.url)}:${f.lineNumber + 1}`);
      }
      for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
    }
    const n = task.samples.length;
    console.log(`  at ${(task.start / 1e6).toFixed(2)} s: ${(task.us / 1000).toFixed(0)} ms, ${n} samples, longest gap between samples ${(task.maxGap / 1000).toFixed(0)} ms`);
    for (const [k, c] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`      ${((c / n) * 100).toFixed(0).padStart(3)}%  ${k}`);
  }
}

main();
