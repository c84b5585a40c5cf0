// Where the project's own files are, both when run from src/ (tests) and from dist/src/ (production).
import fs from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

let root: string | undefined;
export function projectRoot(): string {
  root ??= findProjectRoot(__dirname);
  return root;
}

export const viewsDir = (): string => path.join(projectRoot(), 'views');
export const publicDir = (): string => path.join(projectRoot(), 'public');
