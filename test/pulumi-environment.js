// A Node test environment that hands a test the promise rejections nobody awaited, instead of
// failing it outright. A Pulumi program reports a resource whose inputs failed to resolve
// (here: a broken Azure Backup rule) exactly that way, and the Pulumi CLI turns it into the
// preview's error; tests read them through `world.rejections()` in test/mocks.ts, which
// fails any test that leaves one unread.
//
// It also closes the inspector sessions a test file opened. Serializing a dynamic provider makes
// Pulumi open one with the debugger on and keep it for the life of the process; jest runs every
// file in that one process on a 2-core machine, and with the debugger on, V8 walks the whole
// promise graph on each rejection: the next file's previews then run out of memory.
const inspector = require("inspector");
const { TestEnvironment } = require("jest-environment-node");

const opened = new Set();
const connect = inspector.Session.prototype.connect;
inspector.Session.prototype.connect = function (...args) {
    opened.add(this);
    return connect.apply(this, args);
};

class PulumiEnvironment extends TestEnvironment {
    constructor(config, context) {
        super(config, context);
        this.global.__unhandledRejections = [];
        this.collect = (reason) => this.global.__unhandledRejections.push(reason);
    }

    async teardown() {
        for (const session of opened) session.disconnect();
        opened.clear();
        await super.teardown();
    }

    async handleTestEvent(event) {
        if (event.name === "test_fn_start") {
            this.saved = process.rawListeners("unhandledRejection");
            process.removeAllListeners("unhandledRejection");
            process.on("unhandledRejection", this.collect);
        } else if ((event.name === "test_fn_success" || event.name === "test_fn_failure") && this.saved) {
            process.removeListener("unhandledRejection", this.collect);
            for (const listener of this.saved) process.on("unhandledRejection", listener);
            this.saved = undefined;
        }
    }
}

module.exports = PulumiEnvironment;
