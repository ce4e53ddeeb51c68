package dev.clothes.inference.fetch;

import dev.clothes.inference.fetch.FetchException.Kind;

import java.net.InetAddress;
import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PublicAddressPolicyTest {

    private final PublicAddressPolicy policy = new PublicAddressPolicy(false);
    private static final URI URL = URI.create("http://example.test/shirt.jpg");

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.8",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
        "2002:a9fe:a9fe::1", "2002:7f00:1::"})
    void refusesNonPublicAddresses(String ip) throws Exception {
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> policy.check(URL, InetAddress.getByName(ip)));
        assertThat(e).as(ip).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("example.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
        "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void allowsPublicAddresses(String ip) {
        assertThatCode(() -> policy.check(URL, InetAddress.getByName(ip))).as(ip).doesNotThrowAnyException();
    }

    @Test
    void loopbackOptInForLocalDevelopmentOnly() throws Exception {
        PublicAddressPolicy local = new PublicAddressPolicy(true);
        assertThatCode(() -> local.check(URL, InetAddress.getByName("127.0.0.1"))).doesNotThrowAnyException();
        assertThatCode(() -> local.check(URL, InetAddress.getByName("::1"))).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(FetchException.class,
                () -> local.check(URL, InetAddress.getByName("169.254.169.254")))).isNotNull();
        assertThat(catchThrowableOfType(FetchException.class,
                () -> local.check(URL, InetAddress.getByName("10.0.0.1")))).isNotNull();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedThroughTheFetcher() {
        ImageFetcher fetcher = new ImageFetcher(FetchLimits.DEFAULT, policy);
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> fetcher.fetch("http://localhost:1/shirt.jpg"));
        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("loopback");
    }
}
