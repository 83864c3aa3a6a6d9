// The chunk queue of a team case: pg-boss 10, in the case's own database (schema pgboss).
// Why pg-boss: a job whose worker dies (kill -9, power loss) stays 'active' only until its
// expireInSeconds passes; pg-boss's maintenance then retries it on another worker. Jobs are one video
// chunk each, with a singleton key per chunk under the 'stately' policy, so enqueuing a case again
// adds nothing already queued. (docs/architecture.md, "Team server", has the comparison.)
import PgBoss from 'pg-boss';

export const CHUNK_QUEUE = 'sightline-chunks';

export interface ChunkJobData { videoId: number; idx: number }

export interface QueueOptions {
  /** Seconds a chunk may stay active before it is retried elsewhere (a killed worker's chunk waits this long). */
  jobTimeoutS: number;
  /** How often expired jobs are looked for (seconds). */
  maintenanceS?: number;
  retryLimit?: number;
}

/** Default timeout of a chunk job: generous against slow CPUs (a CPU indexes about at real time), never under 5 min. */
export function defaultJobTimeoutS(chunkS: number): number {
  return Math.max(300, Math.ceil(6 * chunkS));
}

export async function openQueue(conn: string, opts: Pick<QueueOptions, 'maintenanceS'> & { supervise: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: conn, application_name: 'sightline-queue', max: 3,
    supervise: opts.supervise, maintenanceIntervalSeconds: opts.maintenanceS ?? 30, schedule: false,
  });
  // pg-boss reports connection trouble as events; without a listener they would crash the process.
  boss.on('error', () => undefined);
  await boss.start();
  if (!(await boss.getQueue(CHUNK_QUEUE))) {
    try {
      await boss.createQueue(CHUNK_QUEUE, { name: CHUNK_QUEUE, policy: 'stately', retryLimit: 5, retryDelay: 1 });
    } catch (e) {
      // Two processes creating it at once: the other one won.
      if (!(await boss.getQueue(CHUNK_QUEUE))) throw e;
    }
  }
  return boss;
}

export async function enqueueChunks(boss: PgBoss, chunks: ChunkJobData[], opts: QueueOptions): Promise<number> {
  let sent = 0;
  for (const c of chunks) {
    const id = await boss.send(CHUNK_QUEUE, c, {
      singletonKey: `video-${c.videoId}-chunk-${c.idx}`, expireInSeconds: opts.jobTimeoutS, retryLimit: opts.retryLimit ?? 5, retryDelay: 1,
    });
    if (id) sent++;
  }
  return sent;
}
