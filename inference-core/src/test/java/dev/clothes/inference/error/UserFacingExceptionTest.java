package dev.clothes.inference.error;

import dev.clothes.inference.bundle.BundleException;
import dev.clothes.inference.error.UserFacingException.Fault;
import dev.clothes.inference.fetch.FetchException;
import dev.clothes.inference.image.ImageDecodeException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserFacingExceptionTest {

    private static final class Sample extends UserFacingException {
        Sample(String code) {
            super(code, Fault.CALLER, "message", null);
        }
    }

    @Test
    void eachCoreErrorHasAStableCodeAndAFault() {
        FetchException timeout = new FetchException(FetchException.Kind.TIMEOUT, "slow");
        assertThat(timeout.code()).isEqualTo("fetch.timeout");
        assertThat(timeout.fault()).isEqualTo(Fault.UPSTREAM);
        FetchException refused = new FetchException(FetchException.Kind.REFUSED, "private");
        assertThat(refused.code()).isEqualTo("fetch.refused");
        assertThat(refused.fault()).isEqualTo(Fault.CALLER);
        assertThat(FetchException.Kind.INVALID_URL.code()).isEqualTo("fetch.invalid-url");

        ImageDecodeException big = new ImageDecodeException(ImageDecodeException.Reason.TOO_MANY_PIXELS, "big");
        assertThat(big.code()).isEqualTo("image.too-many-pixels");
        assertThat(big.fault()).isEqualTo(Fault.CALLER);

        BundleException bundle = new BundleException("tampered");
        assertThat(bundle.code()).isEqualTo("bundle.invalid");
        assertThat(bundle.fault()).isEqualTo(Fault.SETUP);
        assertThat(bundle).hasMessage("tampered");
    }

    @Test
    void everyFetchKindAndImageReasonHasADistinctCode() {
        assertThat(java.util.Arrays.stream(FetchException.Kind.values()).map(FetchException.Kind::code))
                .doesNotHaveDuplicates().allMatch(c -> c.startsWith("fetch."));
        assertThat(java.util.Arrays.stream(ImageDecodeException.Reason.values()).map(ImageDecodeException.Reason::code))
                .doesNotHaveDuplicates().allMatch(c -> c.startsWith("image."));
    }

    @Test
    void aCodeIsAreaDotKindInLowerCase() {
        assertThat(new Sample("request.invalid").code()).isEqualTo("request.invalid");
        assertThatThrownBy(() -> new Sample("Request invalid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got Request invalid");
        assertThatThrownBy(() -> new Sample("invalid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got invalid");
        assertThatThrownBy(() -> new Sample(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got null");
    }
}
