// The release this source is, as package.json says (a test keeps the two equal). Read by the code
// that decides what a release still accepts: a deprecated field is refused from the release its
// deprecation named.
export const PACKAGE_VERSION = "0.3.0";

/** Compares two `major.minor.patch` versions: negative, zero or positive, like a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => {
    const found = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
    if (!found) throw new Error(`not a major.minor.patch version: ${JSON.stringify(v)}`);
    return found.slice(1).map(Number);
  };
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
