// Credentials taken out of text that came from Azure or its SDK before anyone sees it: a server
// may echo the request's Authorization header, a SAS URL or a secret in an error body, and that
// text ends up in error messages, stacks, job details and the command's output.

/** What a credential is replaced with. */
export const REDACTED = "[redacted]";

// Keys whose value is a secret, in `key=value` and quoted `"key": "value"` / `key='value'` forms.
const SECRET_KEYS = [
    "client_?secret",
    "client-secret",
    "client_assertion",
    "access_?token(?:_?string)?",
    "refresh_?token",
    "id_?token",
    "sig",
    "signature",
    "account_?key",
    "shared_?access_?key",
    "password",
    "api_?key",
].join("|");

const RULES: [RegExp, string | ((...groups: string[]) => string)][] = [
    // JSON Web Tokens wherever they stand: header and payload are base64url JSON ("eyJ").
    [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED],
    // An Authorization header's value, with or without its scheme.
    [
        /(\bauthorization["']?\s*(?:[:=]\s*|\s+(?=["']))["']?)(?:(bearer|basic|sharedkey|sharedaccesssignature|pop)\s+)?[^\s"',;]+/gi,
        (_m, lead: string, scheme?: string) => `${lead}${scheme ? `${scheme} ` : ""}${REDACTED}`,
    ],
    // A bearer token anywhere else ("... with token 'Bearer eyJ...'").
    [/\b(bearer)\s+(?!\[redacted\])[\w\-.~+/]+=*/gi, `$1 ${REDACTED}`],
    // Quoted secret values: "clientSecret": "…", client_secret='…'.
    [new RegExp(`(\\b(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi"), `$1"${REDACTED}"`],
    [new RegExp(`(\\b(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)'[^']*'`, "gi"), `$1'${REDACTED}'`],
    // Unquoted ones: query strings (SAS `sig=`), connection strings (`AccountKey=`), form bodies.
    // Only after "=": "sig: snapshot Completed" is a progress line about a VM named sig.
    [new RegExp(`(\\b(?:${SECRET_KEYS})\\s*=\\s*)(?!\\[redacted\\])[^\\s"'&;,}]+`, "gi"), `$1${REDACTED}`],
];

/** The text with every credential it holds replaced by `[redacted]`. */
export function redact(text: string): string {
    let out = text;
    for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement as string);
    return out;
}

/** A copy of plain data (as JSON would carry it) with every string in it redacted; Dates stay Dates. */
export function redactDeep<T>(value: T): T {
    if (typeof value === "string") return redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
    }
    return value;
}
