// How many waiting requests go out per turn of the event loop.
const SLICE = 256;

/**
 * Sends requests that waited for a token a slice at a time, yielding to I/O between slices.
 * When a token arrives for thousands of waiting calls, sending them all in one synchronous run
 * would hold the event loop until the last is written, and no answer could be read meanwhile;
 * in slices, the first answers come back while later requests are still going out.
 */
export class SlicedDispatch {
  private queue: (() => void)[] = [];
  private next = 0;
  private scheduled = false;

  run<T>(send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        // A throw must fail this call only, not the rest of the slice.
        let sent: Promise<T>;
        try {
          sent = send();
        } catch (error) {
          sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        void sent.then(resolve, reject);
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    const end = Math.min(this.next + SLICE, this.queue.length);
    while (this.next < end) this.queue[this.next++]!();
    if (this.next < this.queue.length) {
      setImmediate(() => this.drain());
      return;
    }
    this.queue = [];
    this.next = 0;
    this.scheduled = false;
  }
}
