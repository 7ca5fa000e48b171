/** An IPv4 CIDR block, parsed once so ranges can be compared and split without strings. */
export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for anything malformed, including host bits set. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = address - (address % blockSize(prefixLength));
  if (network !== address) return undefined;
  return { network, prefixLength };
}

export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${block.prefixLength}`;
}

function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

function lastAddress(block: Ipv4Block): number {
  return block.network + blockSize(block.prefixLength) - 1;
}

export function cidrsOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

export function cidrContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.network <= inner.network && lastAddress(inner) <= lastAddress(outer);
}

/** Terraform's `cidrsubnet`: the `index`-th block of `parent` with `newBits` more prefix bits. */
export function cidrSubnet(parent: Ipv4Block, newBits: number, index: number): Ipv4Block {
  const prefixLength = parent.prefixLength + newBits;
  if (prefixLength > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(
      `cidrSubnet: ${formatCidr(parent)} has no subnet ${index} with ${newBits} new bits`,
    );
  }
  return { network: parent.network + index * blockSize(prefixLength), prefixLength };
}

/** Usable addresses in a VPC subnet: AWS reserves five in every subnet. */
export function usableSubnetAddresses(block: Ipv4Block): number {
  return Math.max(0, blockSize(block.prefixLength) - 5);
}
