package dev.clothes.quality.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any URL, resolving to any address, through the Lambda's fetcher and address policy. The policy is
 * checked against the JDK's own classification: an address it lets through must not be loopback,
 * private, link-local, multicast or unspecified, nor an IPv6 form wrapping such an IPv4 address.
 * The fetch stops right after the check, so nothing is ever connected to.
 */
class UrlValidationFuzzTest {

    private static final PublicAddressPolicy POLICY = new PublicAddressPolicy(false);
    /** How many inputs reached an address the policy accepted: a fuzz run with none proved nothing. */
    private static final java.util.concurrent.atomic.AtomicLong ACCEPTED = new java.util.concurrent.atomic.AtomicLong();

    @org.junit.jupiter.api.AfterAll
    static void someAddressesWereAccepted() {
        System.out.println("UrlValidationFuzzTest: inputs accepted by the policy: " + ACCEPTED.get());
        if (ACCEPTED.get() == 0) {
            throw new AssertionError("no input got past the policy; the fuzz test exercised nothing");
        }
    }

    static Stream<Arguments> seeds() {
        return Stream.of(
                Arguments.of(new byte[] {93, (byte) 184, (byte) 216, 34}, "http://example.com/shirt.jpg"),
                Arguments.of(new byte[] {127, 0, 0, 1}, "https://images.example.com:8443/a/b.png?x=1"),
                Arguments.of(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, "http://169.254.169.254/latest"),
                Arguments.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1}, "http://[::ffff:10.0.0.1]/"),
                Arguments.of(new byte[] {0x20, 0x02, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "http://bücher.example/x"));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void urlsAndAddresses(byte[] raw, String url) throws UnknownHostException {
        if (raw == null || url == null || (raw.length != 4 && raw.length != 16)) {
            return;
        }
        InetAddress address = InetAddress.getByAddress(raw);
        AtomicReference<InetAddress> accepted = new AtomicReference<>();
        ImageFetcher fetcher = new ImageFetcher(FetchLimits.DEFAULT, (uri, a) -> {
            POLICY.check(uri, a);
            accepted.set(a);
            throw new FetchException(FetchException.Kind.REFUSED, "stop before connecting");
        }, host -> new InetAddress[] {address}, (SSLSocketFactory) SSLSocketFactory.getDefault());
        try {
            fetcher.fetch(url);
            throw new IllegalStateException("fetch returned without connecting: " + url);
        } catch (FetchException expected) {
            // INVALID_URL, REFUSED (by the policy or the stop above)
        }
        InetAddress passed = accepted.get();
        if (passed != null) {
            ACCEPTED.incrementAndGet();
        }
        if (passed != null && !isPublic(passed)) {
            throw new IllegalStateException("the policy let " + passed + " through for " + url);
        }
    }

    private static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()
                || a.isAnyLocalAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return !((b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64) // CGNAT
                    && (b[0] & 0xFF) != 0 && (b[0] & 0xFF) < 240;
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF))) {
            return isPublic(embedded(b, 12)); // IPv4-compatible / IPv4-mapped
        }
        if ((b[0] & 0xFE) == 0xFC) {
            return false; // unique local fc00::/7
        }
        return !(a instanceof Inet6Address) || (b[0] != 0x20 || b[1] != 0x02) || isPublic(embedded(b, 2)); // 6to4
    }

    private static InetAddress embedded(byte[] b, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
