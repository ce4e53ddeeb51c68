package dev.clothes.inference.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code checksums.sha256} file of a bundle, in {@code sha256sum} format so an operator can
 * check a bundle with {@code sha256sum -c checksums.sha256}.
 */
public final class Checksums {

    public static final String FILE_NAME = "checksums.sha256";
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

    private Checksums() {
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(messageDigest("SHA-256").digest(data));
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** Reads the stream to its end; the caller closes it. */
    public static String sha256(InputStream in) throws IOException {
        return digest(in, "SHA-256");
    }

    /**
     * The hex digest of everything left in {@code in}, with any JDK algorithm ({@code SHA-256},
     * {@code MD5} for published Keras weights, ...). Streams, so large files never sit in memory.
     */
    public static String digest(InputStream in, String algorithm) throws IOException {
        MessageDigest digest = messageDigest(algorithm);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, n);
        }
        return hex(digest);
    }

    /** Finishes {@code digest} as lower-case hex, the form {@code sha256sum} prints. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A fresh digest; the algorithms used here are part of every JVM. */
    public static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no " + algorithm + " digest in this JVM", e);
        }
    }

    static String format(Map<String, String> sums) {
        StringBuilder out = new StringBuilder();
        sums.forEach((file, sum) -> out.append(sum).append("  ").append(file).append('\n'));
        return out.toString();
    }

    static Map<String, String> parse(String text) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new BundleException(FILE_NAME + " has a malformed line: " + line);
            }
            sums.put(m.group(2), m.group(1));
        }
        return sums;
    }

    static byte[] encode(Map<String, String> sums) {
        return format(sums).getBytes(StandardCharsets.UTF_8);
    }
}
