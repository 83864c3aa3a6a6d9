// Whether a command acts on a team case: --server given, or SIGHTLINE_SERVER set and no --db. Kept apart
// from cli/team.ts so that deciding loads nothing (the PostgreSQL client loads only for team commands).
export function isTeam(args: string[]): boolean {
  if (args.some((a) => a === '--server' || a.startsWith('--server='))) return true;
  return !!process.env.SIGHTLINE_SERVER && !args.some((a) => a === '--db' || a.startsWith('--db='));
}
