// How long an on-demand backup or a wait may go on, and how it is stopped: every request and
// every pause between polls ends at the deadline or when the caller's signal aborts.

/** Node's timers overflow past this (about 24.8 days) and fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms`, or less when `signal` aborts first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        };
        const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
        signal?.addEventListener("abort", done, { once: true });
    });
}

/** A signal that aborts at `deadline` (a time in ms, Infinity for none) or when `signal` does. */
export function untilDeadline(deadline: number, signal?: AbortSignal): AbortSignal {
    const signals = signal ? [signal] : [];
    // AbortSignal.timeout takes whole milliseconds only; a deadline computed from a fraction would throw.
    if (Number.isFinite(deadline)) signals.push(AbortSignal.timeout(Math.min(Math.max(0, Math.floor(deadline - Date.now())), MAX_TIMER_MS)));
    return signals.length === 1 ? signals[0] : signals.length > 1 ? AbortSignal.any(signals) : new AbortController().signal;
}
