// `npm run build`, and the install/start hooks: compiles the TypeScript to dist/ when the compiler and
// its type packages are installed (a development or build install). A production install
// (`npm ci --omit=dev`) has neither; it runs the dist/ built before, so there this only checks that it
// is there. `--if-possible` (the install hook) never fails: an install without a build is still an install.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const ifPossible = process.argv.includes('--if-possible');

function resolvable(name) {
  try {
    require.resolve(name, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

if (resolvable('typescript/bin/tsc') && resolvable('@types/node/package.json')) {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  process.exit(tsc.status ?? 1);
}
if (fs.existsSync(path.join(root, 'dist', 'src', 'server.js'))) process.exit(0);
if (ifPossible) {
  console.warn('Årets misstag: no TypeScript compiler here (npm ci --omit=dev) and no dist/ yet; build it where the dev dependencies are installed (npm ci && npm run build).');
  process.exit(0);
}
console.error('Årets misstag cannot start: dist/ is missing and this install has no TypeScript compiler (npm ci --omit=dev).\nBuild first with the dev dependencies: npm ci && npm run build, then npm ci --omit=dev.');
process.exit(1);
