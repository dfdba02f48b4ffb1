// What a domain operation answers when it can fail in a way the caller must tell apart:
// the route layer (lib/api) maps each case to its HTTP answer, the CLI to its message.
export type Outcome<T> = { ok: T } | { notFound: string } | { conflict: string } | { invalid: string };
