import { Injectable } from '@nestjs/common';
import { distinctUntilChanged, from, type Observable, share, switchMap, takeWhile, timer } from 'rxjs';
import { ReadRuns } from './read-runs.use-cases';
import type { RunResponseDto } from './runs.dto';

const ACTIVE = new Set(['queued', 'running']);
const TICK_MS = 400;

/**
 * A run's progress as a stream, for server-sent events: one database read per tick per run, shared
 * by every client watching that run (in this replica), a message only when something changed, and
 * the stream completes after the run's final state. Results may be recorded by another replica, so
 * the database, not an in-process event, is the source.
 */
@Injectable()
export class RunProgress {
  private readonly streams = new Map<string, Observable<RunResponseDto>>();

  constructor(private readonly runs: ReadRuns) {}

  watch(partnerId: string, runId: string): Observable<RunResponseDto> {
    const key = `${partnerId}/${runId}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = timer(0, TICK_MS).pipe(
        switchMap(() => from(this.runs.get(partnerId, runId))),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
        takeWhile((run) => ACTIVE.has(run.status), true),
        share({ resetOnRefCountZero: () => (this.streams.delete(key), timer(0)) }),
      );
      this.streams.set(key, stream);
    }
    return stream;
  }
}
