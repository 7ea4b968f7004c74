// Rules read Outputs as plain Promises (src/facts/unknowns.ts): the same values, and the same
// skipping of unknowns at preview, as `pulumi.all(...).apply`, at a fraction of the cost.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import { known, promiseOf, settled, valueOrAbsent, whenKnown } from "../src/facts/unknowns";
import { mockPulumi } from "./mocks";

const unknownId = (name: string) => new compute.VirtualMachine(name, { resourceGroupName: "rg" }).id;

describe("known", () => {
    test("plain values, Promises and known Outputs are known, undefined included", async () => {
        mockPulumi({ preview: true });
        expect(await known("a")).toEqual({ known: true, value: "a" });
        expect(await known(undefined)).toEqual({ known: true, value: undefined });
        expect(await known(Promise.resolve(3))).toEqual({ known: true, value: 3 });
        expect(await known(pulumi.output({ a: 1 }))).toEqual({ known: true, value: { a: 1 } });
        expect(await known({ nested: pulumi.output("b") })).toEqual({ known: true, value: { nested: "b" } });
    });

    test("an Output unknown at preview, or plain data holding one, is not known", async () => {
        mockPulumi({ preview: true });
        expect(await known(unknownId("vm-1"))).toEqual({ known: false });
        expect(await known({ id: unknownId("vm-2") })).toEqual({ known: false });
        expect(await valueOrAbsent(known(unknownId("vm-3")))).toBeUndefined();
    });

    test("the same Output is read once", () => {
        mockPulumi({ preview: true });
        const o = pulumi.output("x");
        expect(known(o)).toBe(known(o));
    });

    test("a failed Output fails its read", async () => {
        const world = mockPulumi({ preview: true });
        const boom = new Error("boom");
        const failed = pulumi.output(Promise.reject(boom));
        await expect(known(failed)).rejects.toBe(boom);
        // Read as apply reads it (every promise of it), the failure is left to the reader to report.
        expect(await world.failures()).toEqual([]);
    });
});

describe("whenKnown, as pulumi.all(...).apply", () => {
    test.each([true, false])("preview %s: runs on known values, awaiting what the callback returns", async (preview) => {
        mockPulumi({ preview });
        const seen: unknown[] = [];
        const r = await whenKnown([known(pulumi.output("a")), known(2), known(undefined)], async (a, b, c) => (seen.push(a, b, c), "done"));
        expect(r).toEqual({ known: true, value: "done" });
        expect(seen).toEqual(["a", 2, undefined]);
    });

    test("skips the callback when one value is unknown at preview, as apply does", async () => {
        mockPulumi({ preview: true });
        const f = jest.fn();
        const viaPromise = await whenKnown([known("a"), known(unknownId("vm"))], f);
        expect(viaPromise).toEqual({ known: false });
        expect(f).not.toHaveBeenCalled();
        const viaApply = jest.fn();
        await promiseOf(pulumi.all([pulumi.output("a"), unknownId("vm-b")]).apply(viaApply));
        expect(viaApply).not.toHaveBeenCalled();
    });

    test("a value or callback that fails fails the result", async () => {
        const world = mockPulumi({ preview: true });
        const boom = new Error("boom");
        await expect(whenKnown([known(Promise.reject(boom)), known("a")], (_x: unknown, _a: string) => "never")).rejects.toBe(boom);
        await expect(
            whenKnown([known("a")], (_a: string) => {
                throw boom;
            }),
        ).rejects.toBe(boom);
        expect(await world.failures()).toEqual([]);
    });
});

describe("settled", () => {
    test("resolves once every check has run or been skipped", async () => {
        mockPulumi({ preview: true });
        const gate = settled([Promise.resolve(), whenKnown([known(unknownId("vm"))], (_id: string) => "skipped"), pulumi.output(1)]);
        expect(await promiseOf(gate)).toBe(true);
    });

    test("rejects with the first failed check in the order given; every failure is reported", async () => {
        const world = mockPulumi({ preview: true });
        const first = new Error("first in order, fails last");
        const second = new Error("second in order, fails first");
        const late = new Promise((_, reject) => setTimeout(() => reject(first), 5));
        const gate = settled([late, Promise.reject(second), Promise.resolve()]);
        await expect(promiseOf(gate)).rejects.toBe(first);
        expect((await world.failures()).sort()).toEqual([first.message, second.message].sort());
    });
});
