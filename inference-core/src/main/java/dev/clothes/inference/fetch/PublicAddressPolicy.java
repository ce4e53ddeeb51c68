package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.FetchException.Kind;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Only public unicast addresses: a server-side fetch of a caller's URL must not reach the
 * function's own network (loopback, private ranges, the 169.254.169.254 metadata endpoint,
 * multicast, reserved space), including IPv6 forms that embed such an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Checked for every address a host resolves to
 * and on every redirect hop.
 */
public final class PublicAddressPolicy implements AddressPolicy {

    private final boolean allowLoopback;

    /** @param allowLoopback opt-in for local development (a test server on 127.0.0.1) */
    public PublicAddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    @Override
    public void check(URI uri, InetAddress address) {
        String why = refusal(address);
        if (why != null && !(allowLoopback && why.equals(LOOPBACK))) {
            throw new FetchException(Kind.REFUSED, "refused to fetch from " + uri.getHost() + " ("
                    + address.getHostAddress() + "): " + why);
        }
    }

    private static final String LOOPBACK = "a loopback address";

    /** Why an address is not public, or null when it is. */
    static String refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Inet4Address embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                String why = refusal(embedded);
                return why == null ? null : why + " inside an IPv6 address";
            }
            return refusalV6(v6);
        }
        return refusalV4(address.getAddress());
    }

    private static String refusalV4(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        if (b0 == 127) {
            return LOOPBACK;
        }
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
            return "a private address";
        }
        if (b0 == 169 && b1 == 254) {
            return "a link-local address (cloud metadata endpoints live here)";
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) {
            return "a carrier-grade NAT address";
        }
        if (b0 == 0) {
            return "an unspecified address";
        }
        if (b0 >= 224) {
            return b0 < 240 ? "a multicast address" : "a reserved or broadcast address";
        }
        if ((b0 == 192 && b1 == 0 && (a[2] & 0xFF) == 0) || (b0 == 198 && (b1 == 18 || b1 == 19))) {
            return "a reserved address";
        }
        return null;
    }

    private static String refusalV6(Inet6Address v6) {
        byte[] a = v6.getAddress();
        if (v6.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (v6.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (v6.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (v6.isSiteLocalAddress() || (a[0] & 0xFE) == 0xFC) {
            return "a private (unique local) address";
        }
        if (v6.isMulticastAddress()) {
            return "a multicast address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    static Inet4Address embeddedIpv4(byte[] a) {
        boolean zeros80 = Arrays.equals(Arrays.copyOf(a, 10), new byte[10]);
        boolean mapped = zeros80 && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
        boolean compatible = zeros80 && a[10] == 0 && a[11] == 0 && !(isZero(a, 12, 15) || isLoopbackV6(a));
        boolean nat64 = (a[0] & 0xFF) == 0x00 && (a[1] & 0xFF) == 0x64 && (a[2] & 0xFF) == 0xFF
                && (a[3] & 0xFF) == 0x9B && isZero(a, 4, 11);
        try {
            if (mapped || compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(a, 12, 16));
            }
            if ((a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x02) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(a, 2, 6));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
        return null;
    }

    private static boolean isZero(byte[] a, int from, int to) {
        for (int i = from; i <= to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopbackV6(byte[] a) {
        return isZero(a, 0, 14) && a[15] == 1;
    }
}
