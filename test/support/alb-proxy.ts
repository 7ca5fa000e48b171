import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import type { TestCertificate } from "./tls-certificate";

// A TLS-terminating proxy in front of the API server that sets the headers an AWS Application
// Load Balancer sets: X-Forwarded-For (appended), -Proto and -Port (the listener's: https, 443),
// with the client's Host header passed on. Browsers reach it as https://<hostname> (their
// resolver maps the hostname's port 443 here), so every URL Airflow builds is the one people use.
// @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html

export interface RunningProxy {
  readonly port: number;
  /** The forwarded headers of every request passed on, in order. */
  readonly forwarded: { readonly path: string; readonly headers: Readonly<Record<string, string>> }[];
  /** Points the proxy at another API server. */
  setUpstream(url: string): void;
  close(): Promise<void>;
}

export async function startAlbProxy(upstream: string, certificate: TestCertificate): Promise<RunningProxy> {
  let target = new URL(upstream);
  const forwarded: RunningProxy["forwarded"] = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const client = req.socket.remoteAddress ?? "127.0.0.1";
    const previous = req.headers["x-forwarded-for"];
    const headers = {
      "x-forwarded-for": previous ? `${String(previous)}, ${client}` : client,
      "x-forwarded-proto": "https",
      "x-forwarded-port": "443",
    };
    forwarded.push({ path: req.url ?? "/", headers: { ...headers, host: req.headers.host ?? "" } });
    const upstreamRequest = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, ...headers } },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    // As an ALB does when its target does not answer.
    upstreamRequest.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("502 Bad Gateway");
    });
    req.pipe(upstreamRequest);
  };
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, handle);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the ALB proxy has no TCP address");
  return {
    port: address.port,
    forwarded,
    setUpstream: (url) => {
      target = new URL(url);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
