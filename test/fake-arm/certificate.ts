// A throw-away TLS identity for the loopback fake ARM server (test/fake-arm/server.ts).
//
// The API is synchronous, so it cannot use `selfsigned` (its v5 `generate()` is async-only).
// node:crypto can make a key pair and sign bytes but has no certificate builder, so this file
// encodes the few DER structures of an X.509 v3 certificate itself (RFC 5280): an ECDSA P-256
// key, a random serial, CN=127.0.0.1, subjectAltName = IP 127.0.0.1 + DNS localhost, valid from
// one hour ago for two days, signed with its own key (ecdsa-with-SHA256). Nothing is written to
// disk and nothing is committed: the pair is generated the first time it is asked for in a
// process and then reused.
import * as crypto from "node:crypto";

export interface SelfSignedCertificate {
    /** PKCS#8 private key, PEM. */
    key: string;
    /** X.509 certificate, PEM. Trust it as the CA of the server that presents it. */
    cert: string;
}

let cached: SelfSignedCertificate | undefined;

/** The process-wide self-signed certificate for 127.0.0.1 / localhost, generated on first use. */
export function selfSignedCertificate(): { key: string; cert: string } {
    if (!cached) cached = generate();
    return { key: cached.key, cert: cached.cert };
}

// ---- DER encoding (only what a certificate needs) ----

function length(n: number): Buffer {
    if (n < 0x80) return Buffer.from([n]);
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
    return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octetString = (content: Buffer) => tlv(0x04, content);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, "utf8"));
const bitString = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
/** [n] EXPLICIT, constructed context-specific tag. */
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);

function unsignedInteger(bytes: Buffer): Buffer {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let content = bytes.subarray(start);
    if (content[0] & 0x80) content = Buffer.concat([Buffer.from([0]), content]);
    return tlv(0x02, content);
}

function oid(dotted: string): Buffer {
    const parts = dotted.split(".").map(Number);
    const out: number[] = [parts[0] * 40 + parts[1]];
    for (const part of parts.slice(2)) {
        const groups: number[] = [];
        let v = part;
        do {
            groups.unshift(v & 0x7f);
            v = Math.floor(v / 128);
        } while (v > 0);
        for (let i = 0; i < groups.length - 1; i++) groups[i] |= 0x80;
        out.push(...groups);
    }
    return tlv(0x06, Buffer.from(out));
}

/** UTCTime (YYMMDDHHMMSSZ); fine for the years 1950-2049 that a test certificate lives in. */
function utcTime(date: Date): Buffer {
    const two = (n: number) => String(n).padStart(2, "0");
    const text =
        two(date.getUTCFullYear() % 100) +
        two(date.getUTCMonth() + 1) +
        two(date.getUTCDate()) +
        two(date.getUTCHours()) +
        two(date.getUTCMinutes()) +
        two(date.getUTCSeconds()) +
        "Z";
    return tlv(0x17, Buffer.from(text, "ascii"));
}

const OID = {
    ecdsaWithSha256: "1.2.840.10045.4.3.2",
    commonName: "2.5.4.3",
    organization: "2.5.4.10",
    basicConstraints: "2.5.29.19",
    keyUsage: "2.5.29.15",
    extKeyUsage: "2.5.29.37",
    subjectAltName: "2.5.29.17",
    subjectKeyIdentifier: "2.5.29.14",
    serverAuth: "1.3.6.1.5.5.7.3.1",
};

function extension(id: string, critical: boolean, value: Buffer): Buffer {
    return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function generate(): SelfSignedCertificate {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const spki = publicKey.export({ type: "spki", format: "der" });

    const name = sequence(
        set(sequence(oid(OID.organization), utf8String("pulumi-azure-vm-backup fake ARM (tests only)"))),
        set(sequence(oid(OID.commonName), utf8String("127.0.0.1"))),
    );
    const now = Date.now();
    const validity = sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 2 * 86_400_000)));
    const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));

    // subjectAltName: [2] dNSName "localhost", [7] iPAddress 127.0.0.1 (implicit, primitive tags).
    const altNames = sequence(tlv(0x82, Buffer.from("localhost", "ascii")), tlv(0x87, Buffer.from([127, 0, 0, 1])));
    // keyUsage BIT STRING: digitalSignature (bit 0) + keyCertSign (bit 5) -> 0b10000100, 2 unused bits.
    const keyUsage = tlv(0x03, Buffer.from([0x02, 0x84]));
    // The certificate is its own trust anchor, so it says it is a CA (as a self-signed root does).
    const basicConstraints = sequence(boolean(true));
    const keyId = crypto.createHash("sha1").update(spki).digest();
    const extensions = explicit(
        3,
        sequence(
            extension(OID.basicConstraints, true, basicConstraints),
            extension(OID.keyUsage, true, keyUsage),
            extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
            extension(OID.subjectAltName, false, altNames),
            extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
        ),
    );

    const serial = crypto.randomBytes(16);
    serial[0] &= 0x7f; // positive
    const tbs = sequence(
        explicit(0, tlv(0x02, Buffer.from([2]))), // v3
        unsignedInteger(serial),
        signatureAlgorithm,
        name, // issuer = subject: self-signed
        validity,
        name,
        spki,
        extensions,
    );
    const signature = crypto.sign("sha256", tbs, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
    const der = sequence(tbs, signatureAlgorithm, bitString(signature));

    const base64 = der.toString("base64").replace(/.{1,64}/g, (line) => line + "\n");
    return {
        key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        cert: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`,
    };
}

/**
 * A pipeline policy that makes one Azure SDK client trust the fake's certificate. The settings
 * object is made once: the pipeline keeps one connection pool per settings object, so a new one
 * per request would open a TLS connection for every request.
 */
export function trustPolicy(ca: string): { position: "perCall"; policy: { name: string; sendRequest: (req: any, next: (req: any) => any) => any } } {
    const tlsSettings = { ca };
    return {
        position: "perCall",
        policy: {
            name: "trust-test-certificate",
            sendRequest: (request, next) => {
                request.tlsSettings = tlsSettings;
                return next(request);
            },
        },
    };
}
