import { createSocket, type Socket } from "node:dgram";

// A UDP socket on loopback standing in for the node agent's DogStatsD port: it keeps every
// datagram, byte for byte, with the milliseconds since it started listening, and lets a caller
// wait until what arrived satisfies a condition.

export interface CapturedDatagram {
  /** Milliseconds since the listener started. */
  readonly atMs: number;
  /** The datagram as sent; DogStatsD may pack several lines into one. */
  readonly text: string;
}

export interface StatsdListener {
  readonly port: number;
  readonly received: readonly CapturedDatagram[];
  /** Resolves once `condition` holds for what arrived; rejects when `failed` settles first. */
  until(condition: (received: readonly CapturedDatagram[]) => boolean, failed: Promise<never>): Promise<void>;
  close(): void;
}

export function startStatsdListener(): Promise<StatsdListener> {
  // The kernel drops what arrives while the buffer is full (RcvbufErrors), and a loaded machine
  // stalls this event loop for long enough to fill the default 208 KiB: once a run's
  // dagrun.duration.success (the database had the run ended) never arrived, and the live test
  // waited for its 600 s guard. 4 MiB is this machine's rmem_max.
  const socket: Socket = createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  const received: CapturedDatagram[] = [];
  const started = Date.now();
  const waiters = new Set<() => void>();
  socket.on("message", (message) => {
    received.push({ atMs: Date.now() - started, text: message.toString("utf8") });
    for (const waiter of [...waiters]) waiter();
  });
  return new Promise((resolve) =>
    socket.bind(0, "127.0.0.1", () =>
      resolve({
        port: socket.address().port,
        received,
        until: (condition, failed) =>
          new Promise<void>((done, reject) => {
            const check = () => {
              if (!condition(received)) return;
              waiters.delete(check);
              done();
            };
            waiters.add(check);
            failed.catch((error: unknown) => {
              waiters.delete(check);
              reject(error instanceof Error ? error : new Error(String(error)));
            });
            check();
          }),
        close: () => socket.close(),
      }),
    ),
  );
}
