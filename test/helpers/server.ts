// Starts the compiled app (dist/, built by the pretest script) in a child process on a free port with
// its own data directory, as a real deployment would run. Used by browser and sign-in tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

export type RunningApp = { url: string; port: number; dataDir: string; process: ChildProcess; output(): string; stop(): Promise<void> };

/**
 * A port that is free now, drawn from below the kernel's ephemeral range (32768 and up): a port the
 * kernel hands out (port 0) is also what every outgoing connection and every other test's server gets,
 * so another server could take it before the app listens, and its /readyz would answer for ours.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const serverJs = path.join(projectRoot(), 'dist', 'src', 'server.js');
  if (!fs.existsSync(serverJs)) throw new Error('dist/ is missing: run `npm run build` first');
  // A test may choose the port itself (e.g. to register the app's redirect URI at a provider first).
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'am-app-'));
  let output = '';
  const child = spawn(process.execPath, [serverJs], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', AUTH_MODE: 'dev', LOG_LEVEL: 'warn', PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!env.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
