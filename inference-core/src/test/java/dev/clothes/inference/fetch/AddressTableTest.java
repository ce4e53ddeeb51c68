package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.AddressTable.Block;

import java.net.InetAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every row of the address table at its first and last address, through the policy's public check (no
 * connection is made: the policy is asked about an address, as the fetcher asks it before connecting).
 * The expected verdict is the row's own Globally Reachable value, unless a more specific row also holds
 * the address (found here by scanning every row) or the row is an IPv4-carrying form, whose first and
 * last addresses carry 0.0.0.0 and 255.255.255.255 (both refused).
 */
class AddressTableTest {

    private static final PublicAddressPolicy POLICY = new PublicAddressPolicy(false);
    private static final URI URL = URI.create("http://example.test/shirt.jpg");
    /** Rows whose addresses carry an IPv4 address, decided by it (all-zero and all-one IPv4 at the ends). */
    private static final Set<String> EMBEDDING = Set.of("::ffff:0:0/96", "64:ff9b::/96", "2002::/16", "2001::/32");

    static List<Block> rows() {
        return AddressTable.IANA.blocks();
    }

    static Stream<Arguments> ends() {
        return rows().stream().flatMap(row -> Stream.of(Arguments.of(row, "first", row.first()),
                Arguments.of(row, "last", row.last())));
    }

    @Test
    void theTableHoldsBothRegistriesOncePerBlock() {
        List<Block> rows = rows();
        Set<String> seen = new HashSet<>();
        for (Block row : rows) {
            assertThat(seen.add(row.cidr())).as("%s listed twice", row.cidr()).isTrue();
        }
        assertThat(rows).extracting(Block::registry).containsOnly("ipv4-special", "ipv6-special", "ipv4-multicast",
                "ipv6-space");
        assertThat(rows.stream().filter(r -> r.registry().equals("ipv4-special"))).hasSize(26);
        assertThat(rows.stream().filter(r -> r.registry().equals("ipv6-special"))).hasSize(25);
        assertThat(rows).hasSize(70);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ends")
    void eachRowAtItsFirstAndLastAddress(Block row, String end, byte[] address) throws Exception {
        Block decides = rows().stream().filter(r -> r.contains(address))
                .max(java.util.Comparator.comparingInt(Block::prefixLength)).orElseThrow();
        String shown = AddressTable.text(address);
        FetchException refused = catchThrowableOfType(FetchException.class,
                () -> POLICY.check(URL, inet(address)));
        if (EMBEDDING.contains(decides.cidr())) {
            assertThat(refused).as("%s, the %s address of %s, carries %s", shown, end, row,
                    end.equals("first") ? "0.0.0.0" : "255.255.255.255").isNotNull();
            assertThat(refused.getMessage()).contains(end.equals("first") ? "0.0.0.0/32" : "255.255.255.255/32")
                    .contains("inside an IPv6 address");
        } else if (decides.refused()) {
            assertThat(refused).as("%s, the %s address of %s, decided by %s", shown, end, row, decides).isNotNull();
            assertThat(refused.kind()).isEqualTo(FetchException.Kind.REFUSED);
            assertThat(refused.getMessage()).as("the refusal cites the block that decided")
                    .contains(decides.why(), decides.cidr() + " " + decides.name() + ", " + decides.rfc());
        } else {
            assertThat(refused).as("%s, the %s address of %s, decided by %s (globally reachable)", shown, end, row,
                    decides).isNull();
        }
    }

    /** The blocks the hand-written policy missed, each spelled out here rather than read from the table. */
    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0", "192.0.2.255", "198.51.100.7", "203.0.113.255", "192.0.0.8", "192.0.0.170",
        "192.88.99.1", "192.88.99.2", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "3fff::1",
        "64:ff9b:1::a00:1", "64:ff9b:1::808:808", "100::", "100::ffff:ffff:ffff:ffff", "100:0:0:1::1", "2001:2::1",
        "2001:10::1", "2001:1ff:ffff::1", "5f00::1", "fec0::1", "4000::1", "::8.8.8.8",
        // Teredo (RFC 4380's example server 65.54.227.120) with client 192.0.2.45 and 127.0.0.1, inverted
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:0:4136:e378:8000:63bf:80ff:fffe",
        // Teredo whose server is private
        "2001:0:a00:1:8000:63bf:f7f7:f7f7"})
    void refusesTheSpecialBlocksTheOldPolicyMissed(String ip) throws Exception {
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> POLICY.check(URL, InetAddress.getByName(ip)));
        assertThat(e).as(ip).isNotNull();
        assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "192.0.0.9", "192.0.0.10", "192.31.196.1", "192.175.48.1", "2606:4700:4700::1111",
        "2001:1::1", "2001:1::3", "2001:4:112::1", "2001:20::1", "2620:4f:8000::1", "64:ff9b::808:808",
        "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void allowsGloballyReachableAddressesInsideSpecialSpace(String ip) {
        assertThatCode(() -> POLICY.check(URL, InetAddress.getByName(ip))).as(ip).doesNotThrowAnyException();
    }

    @Test
    void refusalsSayWhatTheAddressIsAndWhichFormCarriedIt() throws Exception {
        assertThat(catchThrowableOfType(FetchException.class,
                () -> POLICY.check(URL, InetAddress.getByName("2001:0:4136:e378:8000:63bf:80ff:fffe"))).getMessage())
                .isEqualTo("refused to fetch from example.test (2001:0:4136:e378:8000:63bf:80ff:fffe): a loopback address "
                        + "(127.0.0.0/8 Loopback, RFC 1122, section 3.2.1.3) inside an IPv6 address (Teredo of 127.0.0.1)");
        assertThat(catchThrowableOfType(FetchException.class,
                () -> POLICY.check(URL, InetAddress.getByName("198.51.100.7"))).getMessage())
                .isEqualTo("refused to fetch from example.test (198.51.100.7): a documentation address "
                        + "(198.51.100.0/24 Documentation (TEST-NET-2), RFC 5737)");
    }

    @Test
    void badRowsAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> AddressTable.parse("# header\n10.0.0.1/8\tipv4-special\tx\tRFC 1\tFalse\tprivate\n"))
                .hasMessageContaining("line 2").hasMessageContaining("10.0.0.1/8 has bits set past its prefix length");
        assertThatThrownBy(() -> AddressTable.parse("10.0.0.0/8\tipv4-special\tx\tRFC 1\tMaybe\tprivate\n"))
                .hasMessageContaining("line 1").hasMessageContaining("'Maybe'");
        assertThatThrownBy(() -> AddressTable.parse("10.0.0.0/8\tipv4-special\tx\tRFC 1\tFalse\t\n"))
                .hasMessageContaining("needs the words for its refusal");
        assertThatThrownBy(() -> AddressTable.parse("example.com/8\tipv4-special\tx\tRFC 1\tFalse\tprivate\n"))
                .hasMessageContaining("not an IP address literal");
    }

    private static InetAddress inet(byte[] address) throws Exception {
        // The JDK hands IPv4-mapped bytes back as an IPv4 address; ask about the 16 bytes themselves.
        return address.length == 16 ? java.net.Inet6Address.getByAddress(null, address, -1) : InetAddress.getByAddress(address);
    }
}
