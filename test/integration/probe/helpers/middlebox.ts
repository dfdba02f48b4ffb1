import net, { type AddressInfo, type Socket } from "node:net";

/**
 * A tiny stateful middlebox on loopback: a TCP relay that forgets connections idle (no byte
 * either way) for longer than `idleTimeoutS`. `reset` mode answers with RST to both ends, like
 * AWS NAT gateway; `silent` mode stops relaying and never answers, like most firewalls.
 * `outage()` cuts every connection at once and refuses new ones for a while.
 */
export interface Middlebox {
  port: number;
  url: string;
  killed: number;
  outage(forMs: number): void;
  close(): Promise<void>;
}

export async function startMiddlebox(upstreamPort: number, idleTimeoutS: number, mode: "reset" | "silent"): Promise<Middlebox> {
  const pairs = new Set<[Socket, Socket]>();
  let downUntil = 0;
  const box = { killed: 0 };
  const server = net.createServer((client) => {
    if (Date.now() < downUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    let forgotten = false;
    let timer: NodeJS.Timeout | undefined;
    const forget = () => {
      forgotten = true;
      box.killed += 1;
      if (mode === "reset") {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      // silent: both ends keep their sockets; nothing they send reaches the other.
    };
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(forget, idleTimeoutS * 1000);
    };
    const relay = (from: Socket, to: Socket) => {
      from.on("data", (chunk: Buffer) => {
        if (forgotten) return;
        touch();
        to.write(chunk);
      });
      from.on("end", () => {
        if (!forgotten) to.end();
      });
      from.on("error", () => to.destroy());
      from.on("close", () => {
        clearTimeout(timer);
        pairs.delete(pair);
        if (!forgotten) to.destroy();
      });
    };
    relay(client, upstream);
    relay(upstream, client);
    touch();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(box, {
    port,
    url: `http://127.0.0.1:${port}`,
    outage(forMs: number) {
      downUntil = Date.now() + forMs;
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
