/**
 * A fetch whose answer never ends (review 10 D1): a 200 JSON body streamed in chunks, counting what
 * was pulled, with `cancelled` settling when the reader cancels it. `trickle` sends a few bytes per
 * pull, slowly (an answer that outlives the attempt); otherwise 16 KiB chunks as fast as they are
 * read, up to 4 MiB (so a reader without a cap ends — with the wrong error — instead of hanging).
 */
export interface EndlessAnswer {
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** Bytes the reader pulled. */
  pulled: () => number;
  /** Resolves when the reader cancelled the body; never otherwise. */
  cancelled: Promise<void>;
  /** The signal each call was given (undefined: none). */
  signals: (AbortSignal | undefined)[];
  /** Ends a trickle that nobody cancelled (so a failed test leaves no timer running). */
  stop: () => void;
}

export function endlessAnswer(options: { trickle?: boolean } = {}): EndlessAnswer {
  let pulled = 0;
  let stopped = false;
  let onCancel!: () => void;
  const cancelled = new Promise<void>((resolve) => (onCancel = resolve));
  const signals: (AbortSignal | undefined)[] = [];
  const chunk = new Uint8Array(options.trickle ? 64 : 16 * 1024).fill(0x20);
  const fetch = async (_input: string, init?: RequestInit) => {
    signals.push(init?.signal ?? undefined);
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first) {
          first = false;
          controller.enqueue(new TextEncoder().encode('{"value":'));
          return;
        }
        if (options.trickle) await new Promise((r) => setTimeout(r, 20));
        if (stopped || pulled >= 4 << 20) {
          controller.enqueue(new TextEncoder().encode('"x"}'));
          controller.close();
          return;
        }
        pulled += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
      cancel() {
        onCancel();
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, pulled: () => pulled, cancelled, signals, stop: () => (stopped = true) };
}

/** `promise`'s outcome, or "not within <ms>" once that much time has passed (for what must happen, not for timing). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | "not in time"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise, new Promise<"not in time">((r) => (timer = setTimeout(() => r("not in time"), ms)))]).finally(() => clearTimeout(timer));
}
