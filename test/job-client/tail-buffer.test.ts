import { describe, expect, it } from 'vitest';
import { TailBuffer } from '../../src/job-client/tail-buffer.js';

const bytes = (s: string) => Buffer.from(s);

describe('TailBuffer', () => {
  it('keeps everything while under its capacity', () => {
    const tail = new TailBuffer(10);
    tail.push(bytes('abc'));
    tail.push(bytes('def'));
    expect(tail.tail().toString()).toBe('abcdef');
    expect(tail.seen).toBe(6);
  });

  it('keeps exactly the last capacity bytes, in order, for any chunking', () => {
    // Chunk sizes from a fixed pseudo-random sequence, so a failure is reproducible.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const capacity of [1, 5, 4096, 5000, 9000]) {
      const tail = new TailBuffer(capacity);
      let all = '';
      for (let i = 0; i < 300; i++) {
        const chunk = String.fromCharCode(97 + (i % 26)).repeat(next() % 200);
        all += chunk;
        tail.push(bytes(chunk));
        expect(tail.length).toBe(Math.min(all.length, capacity));
      }
      expect(tail.tail().toString()).toBe(all.slice(-capacity));
      expect(tail.tail(3).toString()).toBe(all.slice(-Math.min(3, capacity)));
    }
  });

  it('keeps the tail of a chunk larger than the whole buffer', () => {
    const tail = new TailBuffer(4);
    tail.push(bytes('ab'));
    tail.push(bytes('0123456789'));
    expect(tail.tail().toString()).toBe('6789');
    tail.push(bytes('x'));
    expect(tail.tail().toString()).toBe('789x');
  });

  it('keeps the tail when its capacity is lowered, and stays within the new capacity', () => {
    const tail = new TailBuffer(100);
    tail.push(bytes('0123456789'));
    tail.setCapacity(4);
    expect(tail.tail().toString()).toBe('6789');
    tail.push(bytes('abc'));
    expect(tail.tail().toString()).toBe('9abc');
  });

  it('keeps nothing with a capacity of 0', () => {
    const tail = new TailBuffer(0);
    tail.push(bytes('abc'));
    expect(tail.tail().length).toBe(0);
    expect(tail.seen).toBe(3);
  });
});
