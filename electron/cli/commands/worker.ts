// sightline worker --server <conn> [--concurrency N] [--path-map from=to]... [--until-done] [--json]
// Indexes chunks of a team case taken from its server's queue (cli/team.ts, engine/team/worker.ts).
export async function run(args: string[]): Promise<number> {
  return (await import('../team')).worker(args);
}
