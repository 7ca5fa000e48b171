import { ConfigError } from "../../lib/config-error";

/** Where a command writes; the bin gives it the process's streams, tests give it buffers. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The environments a command works on: name → environment input (as an environment file exports). */
export type EnvironmentModule = Readonly<Record<string, unknown>>;

/** What every command is: arguments and environments in, an exit code out. */
export type Command = (argv: readonly string[], environments: EnvironmentModule, io: CommandIo) => Promise<number> | number;

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs a command; a configuration error is printed once, as `npm run synth` prints it (every
 * problem, no stack trace), and gives exit code 1. Anything else is a bug and is rethrown.
 */
export async function withConfigErrors(io: CommandIo, run: () => Promise<number> | number): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return 1;
  }
}
