import fc from "fast-check";
import { cidrSubnet, formatIpv4Cidr, isRfc1918, parseIpv4Cidr, subnetLayout } from "../../lib/network/private/cidr";

describe("cidr", () => {
  test("parses, formats and rejects host bits", () => {
    expect(formatIpv4Cidr(parseIpv4Cidr("10.40.0.0/16")!)).toBe("10.40.0.0/16");
    expect(parseIpv4Cidr("10.40.0.1/16")).toBeUndefined();
    expect(parseIpv4Cidr("300.0.0.0/8")).toBeUndefined();
    expect(parseIpv4Cidr("10.0.0.0")).toBeUndefined();
  });

  test("cidrSubnet matches Terraform's cidrsubnet", () => {
    // cidrsubnet("10.1.0.0/16", 4, 2) = "10.1.32.0/20"
    expect(formatIpv4Cidr(cidrSubnet(parseIpv4Cidr("10.1.0.0/16")!, 4, 2))).toBe("10.1.32.0/20");
    expect(() => cidrSubnet(parseIpv4Cidr("10.1.0.0/16")!, 2, 4)).toThrow(RangeError);
  });

  test("RFC 1918 detection", () => {
    expect(isRfc1918(parseIpv4Cidr("172.20.0.0/16")!)).toBe(true);
    expect(isRfc1918(parseIpv4Cidr("172.32.0.0/16")!)).toBe(false);
    expect(isRfc1918(parseIpv4Cidr("8.8.0.0/16")!)).toBe(false);
  });

  test("subnets never overlap and stay inside the VPC", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 20 }), fc.integer({ min: 1, max: 3 }), (b, prefix, azs) => {
        const vpc = parseIpv4Cidr(`10.${b}.0.0/16`)!;
        const narrowed = { network: vpc.network, prefixLength: prefix };
        const layout = subnetLayout(narrowed, azs);
        const blocks = [...layout.private, ...layout.public].map((c) => parseIpv4Cidr(c)!);
        const ranges = blocks.map((c) => [c.network, c.network + 2 ** (32 - c.prefixLength) - 1]).sort((x, y) => x[0] - y[0]);
        const vpcEnd = narrowed.network + 2 ** (32 - prefix) - 1;
        return ranges.every(([s, e], i) => s >= narrowed.network && e <= vpcEnd && (i === 0 || s > ranges[i - 1][1]));
      }),
      { numRuns: 200 },
    );
  });
});
