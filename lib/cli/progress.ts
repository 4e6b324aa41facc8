import type { Writable } from 'node:stream';

export type ProgressReporter = {
  /** `done` of `total` units; cheap to call often (drawn at most every `everyMs`). */
  update(done: number, total: number): void;
  /** The one-line summary every run ends with, TTY or not. */
  finish(summary: string): void;
};

type Stream = Writable & { isTTY?: boolean; columns?: number };

/**
 * Progress of a long CLI command on stderr (stdout keeps the command's JSON answer): a bar redrawn in
 * place on a terminal, JSON lines (`{"progress": label, "done", "total"}`) for logs and pipes, and a
 * one-line summary at the end either way.
 */
export function progressReporter(label: string, stream: Stream = process.stderr, now: () => number = Date.now, everyMs = 200): ProgressReporter {
  const started = now();
  let drawnAt = -Infinity;
  let drewBar = false;
  const draw = (done: number, total: number) => {
    if (stream.isTTY) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 30));
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total}`);
      drewBar = true;
    } else {
      stream.write(`${JSON.stringify({ progress: label, done, total })}\n`);
    }
  };
  return {
    update(done, total) {
      const at = now();
      if (at - drawnAt < everyMs && done < total) return;
      drawnAt = at;
      draw(done, total);
    },
    finish(summary) {
      const seconds = ((now() - started) / 1000).toFixed(1);
      stream.write(`${drewBar ? '\n' : ''}${label}: ${summary} (${seconds} s)\n`);
    },
  };
}
