package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.FetchException.Kind;

import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Only globally reachable unicast addresses: a server-side fetch of a caller's URL must not reach the
 * function's own network. What is refused is data, {@link AddressTable}: the IANA IPv4 and IPv6
 * special-purpose address registries (every block not globally reachable: loopback, private, link-local
 * with the 169.254.169.254 metadata endpoint, shared CGNAT space, documentation, benchmarking, IETF
 * protocol assignments...), multicast, and the IPv6 space outside Global Unicast; the most specific block
 * decides (192.0.0.9/32 is reachable inside the refused 192.0.0.0/24).
 *
 * <p>IPv6 forms that carry an IPv4 address are judged by that address first: IPv4-mapped
 * ({@code ::ffff:0:0/96}), IPv4-compatible ({@code ::/96}, deprecated, refused anyway), NAT64's well-known
 * prefix ({@code 64:ff9b::/96}), 6to4 ({@code 2002::/16}, the IPv4 in bits 16-47) and Teredo
 * ({@code 2001::/32}: the server in bits 32-63 and the client, inverted, in bits 96-127; both must be
 * public). The local-use NAT64 prefix {@code 64:ff9b:1::/48} is refused whole: its translator is on the
 * local network, and RFC 6052 lets the IPv4 address sit at several prefix lengths inside it. Checked for
 * every address a host resolves to and on every redirect hop, before any connection.
 */
public final class PublicAddressPolicy implements AddressPolicy {

    private final boolean allowLoopback;

    /** @param allowLoopback opt-in for local development (a test server on 127.0.0.1 or ::1) */
    public PublicAddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    @Override
    public void check(URI uri, InetAddress address) {
        Refusal refusal = refusal(address.getAddress());
        if (refusal != null && !(allowLoopback && refusal.loopback())) {
            throw new FetchException(Kind.REFUSED, "refused to fetch from " + uri.getHost() + " ("
                    + address.getHostAddress() + "): " + refusal.reason());
        }
    }

    /** Why an address may not be fetched from; {@code loopback} when only the loopback opt-in would allow it. */
    record Refusal(String reason, boolean loopback) {
    }

    /** Why {@code address} (4 or 16 bytes) is not globally reachable, or null when it is. */
    static Refusal refusal(byte[] address) {
        Embedded embedded = address.length == 16 ? Embedded.of(address) : null;
        if (embedded != null) {
            for (byte[] ipv4 : embedded.ipv4()) {
                Refusal inner = refusal(ipv4);
                if (inner != null) {
                    return new Refusal(inner.reason() + " inside an IPv6 address (" + embedded.form() + " of "
                            + AddressTable.text(ipv4) + ")", false);
                }
            }
            if (embedded.form().equals(Embedded.MAPPED)) {
                return null; // the connection goes to that IPv4 address, which is public
            }
        }
        AddressTable.Block block = AddressTable.IANA.mostSpecific(address).orElse(null);
        if (block == null || !block.refused()) {
            return null; // an IPv4 address in no special block, a reachable block, or 6to4/Teredo of public IPv4
        }
        boolean loopback = block.name().startsWith("Loopback");
        return new Refusal(block.why() + " (" + block.citation() + ")", loopback);
    }

    /** An IPv6 form with IPv4 addresses inside, and its name for messages. */
    record Embedded(String form, List<byte[]> ipv4) {

        static final String MAPPED = "IPv4-mapped";

        /** The embedded IPv4 addresses of {@code a} (16 bytes), or null when it is no such form. */
        static Embedded of(byte[] a) {
            if (zero(a, 0, 10) && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) {
                return new Embedded(MAPPED, List.of(slice(a, 12)));
            }
            if (zero(a, 0, 12) && !(zero(a, 12, 15) && (a[15] == 0 || a[15] == 1))) {
                return new Embedded("IPv4-compatible", List.of(slice(a, 12)));
            }
            if (a[0] == 0 && a[1] == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B && zero(a, 4, 12)) {
                return new Embedded("NAT64", List.of(slice(a, 12)));
            }
            if (a[0] == 0x20 && a[1] == 0x02) {
                return new Embedded("6to4", List.of(slice(a, 2)));
            }
            if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
                byte[] client = slice(a, 12);
                for (int i = 0; i < 4; i++) {
                    client[i] = (byte) ~client[i]; // RFC 4380: the client's address is stored inverted
                }
                return new Embedded("Teredo", List.of(slice(a, 4), client));
            }
            return null;
        }

        private static byte[] slice(byte[] a, int from) {
            return Arrays.copyOfRange(a, from, from + 4);
        }

        /** Whether bytes {@code from} (inclusive) to {@code to} (exclusive) are all zero. */
        private static boolean zero(byte[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
