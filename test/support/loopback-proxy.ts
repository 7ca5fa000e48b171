import { connect, createServer, type Socket } from "node:net";

// A TCP relay on loopback whose connections to the target leave from a chosen 127.0.0.0/8
// address, so the target sees a client from outside (or inside) a range: the loopback model of a
// pod on another network. Closed by the test that opens it.

export interface LoopbackProxy {
  readonly port: number;
  close(): Promise<void>;
}

export function startLoopbackProxy(target: { readonly port: number }, sourceAddress: string): Promise<LoopbackProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: "127.0.0.1", port: target.port, localAddress: sourceAddress });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
