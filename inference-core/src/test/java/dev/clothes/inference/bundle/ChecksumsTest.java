package dev.clothes.inference.bundle;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksumsTest {

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    // Published test vectors for "abc".
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";

    @Test
    void bytesStreamsAndFilesGiveTheSameDigest(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("abc"), ABC);
        assertThat(Checksums.sha256(ABC)).isEqualTo(ABC_SHA256);
        assertThat(Checksums.sha256(new ByteArrayInputStream(ABC))).isEqualTo(ABC_SHA256);
        assertThat(Checksums.sha256(file)).isEqualTo(ABC_SHA256);
    }

    @Test
    void streamsLargerThanTheBufferAndOtherAlgorithms() throws Exception {
        byte[] big = new byte[(1 << 16) * 3 + 7];
        big[big.length - 1] = 1;
        assertThat(Checksums.sha256(new ByteArrayInputStream(big))).isEqualTo(Checksums.sha256(big));
        assertThat(Checksums.digest(new ByteArrayInputStream(ABC), "MD5")).isEqualTo(ABC_MD5);
    }

    @Test
    void anUnknownAlgorithmIsNamed() {
        assertThatThrownBy(() -> Checksums.messageDigest("SHA-0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-0");
    }
}
