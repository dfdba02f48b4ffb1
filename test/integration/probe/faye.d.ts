// faye ships no types; this declares the part the probe's tests use.
declare module "faye" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  interface NodeAdapterOptions {
    mount: string;
    /** Seconds a /meta/connect is held. */
    timeout?: number;
  }

  class NodeAdapter {
    constructor(options: NodeAdapterOptions);
    handle(request: IncomingMessage, response: ServerResponse): void;
    close(): void;
  }

  const faye: { NodeAdapter: typeof NodeAdapter };
  export default faye;
}
