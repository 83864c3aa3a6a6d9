// The `sightline` command: every subcommand is a thin layer over the engine API.
import { UsageError } from './args';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  index: { summary: 'import and index videos or folders into a case', load: () => import('./commands/index') },
  search: { summary: 'find sightings matching a description (or --similar / --same-person as a sighting)', load: () => import('./commands/search') },
  sightings: { summary: 'list every sighting with its detections (time, box, score)', load: () => import('./commands/sightings') },
  case: { summary: 'show or set the case number, investigator and title', load: () => import('./commands/case') },
  status: { summary: 'videos, progress, failures, models and execution provider of a case', load: () => import('./commands/status') },
  bookmark: { summary: 'add, list or remove bookmarks', load: () => import('./commands/bookmark') },
  export: { summary: 'write an evidence bundle for bookmarks', load: () => import('./commands/export') },
  verify: { summary: 'check every hash of an evidence bundle', load: () => import('./commands/verify') },
  relink: { summary: 'point a video at its moved file (matched and checked by SHA-256)', load: () => import('./commands/relink') },
  audit: { summary: 'verify the case audit log', load: () => import('./commands/audit') },
  worker: { summary: 'index chunks of a team case taken from its server\'s queue (--server)', load: () => import('./commands/worker') },
  demo: { summary: 'index the bundled sample case and run a description query', load: () => import('./commands/demo') },
};

function help(): string {
  return `usage: sightline <command> [options]\n\n${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)}${c.summary}`).join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { process.stdout.write(help()); return name ? 0 : 2; }
  const command = COMMANDS[name];
  if (!command) { process.stderr.write(`sightline: unknown command "${name}"\n${help()}`); return 2; }
  try {
    return await (await command.load()).run(args);
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`sightline ${name}: ${e.message}\n`); return 2; }
    process.stderr.write(`sightline ${name}: ${(e as Error).message}\n`);
    if (process.env.SIGHTLINE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`${e}\n`); process.exitCode = 1; });
}
