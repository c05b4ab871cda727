// A command's output, kept as lines for the daemon's log. Bounded per delivery, so a hook that
// prints a core dump costs the log and the memory 64 KiB, not whatever the hook wrote.
import type { HookOutput, OutputLine } from '../core/hook.js';

/** Bytes of output kept per delivery, line breaks included. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
type Stream = OutputLine['stream'];

/**
 * The output's lines up to the bound, from both streams; what follows the first line that does
 * not fit is cut and counted, so the log holds a beginning of the output, not scattered lines. A
 * line longer than the whole bound keeps its first OUTPUT_LIMIT_BYTES (a hook that never writes a
 * line break still shows something).
 */
export class OutputLines {
  readonly #lines: OutputLine[] = [];
  readonly #pending: Record<Stream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  #keptBytes = 0;
  #cutBytes = 0;
  #full = false;

  add(stream: Stream, chunk: Buffer): void {
    if (this.#full) {
      this.#cutBytes += chunk.length;
      return;
    }
    let rest = Buffer.concat([this.#pending[stream], chunk]);
    for (let end = rest.indexOf(NEWLINE); end !== -1 && !this.#full; end = rest.indexOf(NEWLINE)) {
      this.#keep(stream, rest.subarray(0, end), 1);
      rest = rest.subarray(end + 1);
    }
    if (!this.#full && rest.length >= OUTPUT_LIMIT_BYTES) {
      this.#keep(stream, rest, 0);
      rest = rest.subarray(rest.length);
    }
    if (this.#full) this.#cutBytes += rest.length;
    this.#pending[stream] = this.#full ? Buffer.alloc(0) : Buffer.from(rest);
  }

  /** The lines, with the unfinished last line of each stream. */
  finish(): HookOutput {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#pending[stream];
      if (rest.length > 0) this.#keep(stream, rest, 0);
      this.#pending[stream] = Buffer.alloc(0);
    }
    return { lines: this.#lines, cutBytes: this.#cutBytes, limitBytes: OUTPUT_LIMIT_BYTES };
  }

  #keep(stream: Stream, line: Buffer, breakBytes: number): void {
    const size = line.length + breakBytes;
    if (this.#full || size > OUTPUT_LIMIT_BYTES - this.#keptBytes) {
      const kept =
        this.#keptBytes === 0 ? line.subarray(0, OUTPUT_LIMIT_BYTES) : line.subarray(0, 0);
      if (kept.length > 0) this.#push(stream, kept);
      this.#keptBytes += kept.length;
      this.#cutBytes += size - kept.length;
      this.#full = true;
      return;
    }
    this.#keptBytes += size;
    this.#push(stream, line);
  }

  #push(stream: Stream, line: Buffer): void {
    // Blank lines are left out of the log; a CRLF line ends without its CR.
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() !== '') this.#lines.push({ stream, text });
  }
}
