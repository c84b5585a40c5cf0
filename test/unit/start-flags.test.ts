// The app's node flags (issue 20: a young generation of 8 MB per semi-space keeps the peak RSS under
// 50 connections below 200 MB at no cost in CPU) are given where the app is started: `npm start` and the
// systemd unit. The bench reads them from package.json. This keeps the two from drifting apart.
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function flagsOf(command: string): string[] {
  const m = /node((?: --\S+)*) dist\/src\/server\.js$/.exec(command.trim());
  if (!m) throw new Error(`not a start command of the app: ${command}`);
  return m[1].trim().split(/\s+/);
}

test('when the app is started by npm start or by systemd, then node gets the same flags, the young generation bounded among them', () => {
  // Arrange
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const unit = fs.readFileSync(path.join(root, 'deploy', 'arets-misstag.service'), 'utf8');
  const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
  // Act
  const fromNpm = flagsOf(pkg.scripts.start);
  const fromSystemd = flagsOf(execStart);
  // Assert
  expect(fromSystemd).toEqual(fromNpm);
  expect(fromNpm).toContain('--max-semi-space-size=8');
});
