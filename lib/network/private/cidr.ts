/** IPv4 CIDR arithmetic for subnet layout. Pure; no Terraform tokens (the VPC range is always a literal). */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  if ((address & ~mask) >>> 0 !== 0) return undefined;
  return { network: address, prefixLength };
}

/** Formats a CIDR block. */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefixLength}`;
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)`. */
export function cidrSubnet(parent: Ipv4Cidr, newBits: number, netNum: number): Ipv4Cidr {
  const prefixLength = parent.prefixLength + newBits;
  if (prefixLength > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new RangeError(`cannot take subnet ${netNum} of /${prefixLength} inside ${formatIpv4Cidr(parent)}`);
  }
  return { network: (parent.network + netNum * 2 ** (32 - prefixLength)) >>> 0, prefixLength };
}

/** True when the block lies in an RFC 1918 private range. */
export function isRfc1918(cidr: Ipv4Cidr): boolean {
  const ranges: [string, number][] = [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16]];
  return ranges.some(([base, len]) => {
    const parent = parseIpv4Cidr(`${base}/${len}`) as Ipv4Cidr;
    const mask = (0xffffffff << (32 - len)) >>> 0;
    return cidr.prefixLength >= len && ((cidr.network & mask) >>> 0) === parent.network;
  });
}

/** Subnet layout of a Headroom VPC. */
export interface SubnetLayout {
  /** One large private subnet per AZ: nodes and pods (the VPC CNI gives every pod a VPC address). */
  readonly private: readonly string[];
  /** One small public subnet per AZ: NAT gateways and internet-facing load balancers only. */
  readonly public: readonly string[];
}

/**
 * Splits the VPC into quarters: quarters 0..azCount-1 are the private subnets,
 * the last quarter is cut into eighths for the public subnets. A /16 gives
 * 16,382 addresses per private subnet and /21 public subnets.
 */
export function subnetLayout(vpcCidr: Ipv4Cidr, azCount: number): SubnetLayout {
  if (azCount < 1 || azCount > 3) throw new RangeError(`azCount ${azCount} outside 1-3`);
  const lastQuarter = cidrSubnet(vpcCidr, 2, 3);
  const azs = [...Array(azCount).keys()];
  return {
    private: azs.map((i) => formatIpv4Cidr(cidrSubnet(vpcCidr, 2, i))),
    public: azs.map((i) => formatIpv4Cidr(cidrSubnet(lastQuarter, 3, i))),
  };
}
