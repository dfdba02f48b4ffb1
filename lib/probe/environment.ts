/**
 * Environment variables as the probe reads them (process.env, or a test's own). A module of
 * its own because options (which validates proxy settings) and proxy (which reads them) both need it.
 */
export type Environment = Readonly<Record<string, string | undefined>>;
