// State that lives for one run of a program. The key is the engine's monitor: a new mock
// monitor (a new test program) starts afresh, and a program run by the engine has one.
import { currentMonitor } from "./pulumi-internals";

const noMonitor = {};

/** A getter for state made once per program run. */
export function perProgramRun<T>(make: () => T): () => T {
    const runs = new WeakMap<object, T>();
    return () => {
        const key = currentMonitor() ?? noMonitor;
        let state = runs.get(key);
        if (state === undefined) runs.set(key, (state = make()));
        return state;
    };
}
