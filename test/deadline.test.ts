// The signal that stops an on-demand backup or a wait at its deadline.
import { untilDeadline } from "../src/on-demand/deadline";

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

test("a deadline a fraction of a millisecond away aborts, rather than throwing from AbortSignal.timeout", async () => {
    const signal = untilDeadline(Date.now() + 5.25);
    await aborted(signal);
    expect(signal.aborted).toBe(true);
});

test("a deadline already past aborts", async () => {
    const signal = untilDeadline(Date.now() - 1000.5);
    await aborted(signal);
    expect(signal.aborted).toBe(true);
});

test("no deadline never aborts by itself; the caller's signal still does", () => {
    const none = untilDeadline(Infinity);
    expect(none.aborted).toBe(false);
    const caller = new AbortController();
    const linked = untilDeadline(Infinity, caller.signal);
    caller.abort();
    expect(linked.aborted).toBe(true);
});
