package dev.clothes.quality.corpus;

import dev.clothes.testing.Images;
import dev.clothes.testing.Shared;
import dev.clothes.lambda.local.RestEvent;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Every kind of bad (or merely unusual) input a caller can send the function, made by this program
 * from one real dataset photo, with the status and a fragment of the message the handler must answer.
 * {@code main} writes the corpus to a folder (one event JSON per kind plus {@code expected.tsv});
 * {@code BadInputCorpusTest} runs it through the handler.
 */
public final class BadInputCorpus {

    /** One kind of input: the Lambda event, the expected status and a fragment of the expected message. */
    public record Case(String kind, Map<String, Object> event, int status, String message) {
    }

    private final List<Case> cases = new ArrayList<>();

    private BadInputCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bad-input-corpus");
        Files.createDirectories(out);
        StringBuilder tsv = new StringBuilder("kind\tstatus\tmessage\n");
        for (Case c : cases()) {
            Files.writeString(out.resolve(c.kind() + ".json"),
                    dev.clothes.inference.json.Json.mapper().writeValueAsString(c.event()));
            tsv.append(c.kind()).append('\t').append(c.status()).append('\t').append(c.message()).append('\n');
        }
        Files.writeString(out.resolve("expected.tsv"), tsv);
        System.out.println("wrote " + cases().size() + " kinds to " + out);
    }

    public static List<Case> cases() throws IOException {
        BadInputCorpus corpus = new BadInputCorpus();
        corpus.images();
        corpus.bombs();
        corpus.notImages();
        corpus.bodies();
        corpus.urls();
        return List.copyOf(corpus.cases);
    }

    private static final String TRUNCATED = "truncated";
    private static final String UNSUPPORTED = "not a supported image";
    private static final String PIXELS = "pixels; the limit is";
    private static final String OK = "";

    // ---- images: broken, and unusual but valid ----

    private void images() throws IOException {
        byte[] jpeg = photo();
        raw("jpeg-truncated-half", Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg", 400, TRUNCATED);
        raw("jpeg-truncated-after-header", Arrays.copyOf(jpeg, 700), "image/jpeg", 400, TRUNCATED);
        raw("jpeg-garbage-after-soi", concat(Arrays.copyOf(jpeg, 2), repeat((byte) 0x5A, 4000)), "image/jpeg", 400,
                TRUNCATED);
        raw("jpeg-soi-only", new byte[] {(byte) 0xFF, (byte) 0xD8}, "image/jpeg", 400, TRUNCATED);
        byte[] png = Images.encode(gradient(64, 48, BufferedImage.TYPE_INT_RGB), "png");
        raw("png-truncated", Arrays.copyOf(png, png.length - 30), "image/png", 400, TRUNCATED);
        byte[] badCrc = png.clone();
        badCrc[40] ^= 0x55; // inside IDAT: the CRC no longer matches
        raw("png-idat-corrupted", badCrc, "image/png", 400, TRUNCATED);
        raw("png-signature-only", Arrays.copyOf(png, 8), "image/png", 400, TRUNCATED);
        byte[] gif = Images.encode(gradient(64, 48, BufferedImage.TYPE_INT_RGB), "gif");
        raw("gif-truncated", Arrays.copyOf(gif, gif.length / 2), "image/gif", 400, TRUNCATED);
        raw("gif-header-only", Arrays.copyOf(gif, 13), "image/gif", 400, TRUNCATED);
        byte[] webp = resource("/images/red-and-transparent-16x8-lossy.webp");
        raw("webp-truncated", Arrays.copyOf(webp, webp.length - 20), "image/webp", 400, TRUNCATED);
        raw("webp-endless-read-fuzz-finding", resource("/images/fuzz/webp-alpha-endless-read.webp"), "image/webp", 400,
                "kept reading past the end");
        byte[] bmp = Images.encode(gradient(32, 16, BufferedImage.TYPE_INT_RGB), "bmp");
        raw("bmp-truncated", Arrays.copyOf(bmp, bmp.length / 2), "image/bmp", 400, TRUNCATED);

        raw("png-1x1", Images.encode(gradient(1, 1, BufferedImage.TYPE_INT_RGB), "png"), "image/png", 200, OK);
        raw("png-1x10000", Images.encode(gradient(1, 10_000, BufferedImage.TYPE_INT_RGB), "png"), "image/png", 200, OK);
        raw("png-10000x1", Images.encode(gradient(10_000, 1, BufferedImage.TYPE_INT_RGB), "png"), "image/png", 200, OK);
        raw("png-16-bit-grey", Images.encode(gradient(40, 30, BufferedImage.TYPE_USHORT_GRAY), "png"), "image/png", 200, OK);
        raw("png-8-bit-grey", Images.encode(gradient(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png"), "image/png", 200, OK);
        raw("png-palette", Images.encode(palette(40, 30, false), "png"), "image/png", 200, OK);
        raw("png-palette-transparent", Images.encode(palette(40, 30, true), "png"), "image/png", 200, OK);
        raw("png-alpha", Images.encode(gradient(40, 30, BufferedImage.TYPE_INT_ARGB), "png"), "image/png", 200, OK);
        raw("jpeg-greyscale", Images.encode(gradient(40, 30, BufferedImage.TYPE_BYTE_GRAY), "jpeg"), "image/jpeg", 200, OK);
        raw("jpeg-cmyk-adobe", Images.adobeCmykJpeg(32, 16), "image/jpeg", 200, OK);
        raw("jpeg-progressive", progressiveJpeg(), "image/jpeg", 200, OK);
        raw("gif-animated", animatedGif(), "image/gif", 200, OK);
        raw("webp-lossy-with-alpha", webp, "image/webp", 200, OK);
        raw("bmp-valid", bmp, "image/bmp", 200, OK);
        raw("jpeg-sent-as-png", jpeg, "image/png", 200, OK);
        raw("jpeg-with-zip-appended-polyglot", concat(jpeg, zip()), "image/jpeg", 200, OK);
    }

    // ---- decompression bombs: a huge declared size in a tiny file ----

    private void bombs() throws IOException {
        raw("bomb-png-100000x100000", Images.pngHeader(100_000, 100_000), "image/png", 400, PIXELS);
        raw("bomb-png-1x2147483647", Images.pngHeader(1, Integer.MAX_VALUE), "image/png", 400, PIXELS);
        raw("bomb-gif-65535x65535", Images.gifHeader(65_535, 65_535), "image/gif", 400, PIXELS);
        raw("bomb-jpeg-65000x65000", jpegSof(65_000, 65_000), "image/jpeg", 400, PIXELS);
        raw("bomb-webp-16384x16384", webpCanvas(16_384, 16_384), "image/webp", 400, PIXELS);
        raw("bomb-bmp-50000x50000", bmpHeader(50_000, 50_000), "image/bmp", 400, PIXELS);
        raw("bomb-webp-frame-larger-than-canvas-fuzz-finding", resource("/images/fuzz/webp-frame-larger-than-canvas.webp"),
                "image/webp", 400, PIXELS);
    }

    // ---- bytes that are not an image at all ----

    private void notImages() {
        raw("svg", utf8("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" "
                + "height=\"10\"/></svg>"), "image/svg+xml", 400, UNSUPPORTED);
        raw("text-as-image", utf8("just some text, not a picture"), "image/jpeg", 400, UNSUPPORTED);
        raw("html-as-image", utf8("<!DOCTYPE html><html><body>hi</body></html>"), "image/png", 400, UNSUPPORTED);
        raw("pdf-as-image", utf8("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF"), "image/jpeg", 400, UNSUPPORTED);
        raw("zip-as-image", zip(), "image/jpeg", 400, UNSUPPORTED);
        raw("gif-javascript-polyglot", utf8("GIF89a/*\u0001\u0001*/=alert(document.domain);//"), "image/gif", 400,
                TRUNCATED);
        raw("elf-binary", concat(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, new byte[200]), "application/octet-stream",
                400, UNSUPPORTED);
        raw("random-bytes", random(5000), "image/jpeg", 400, UNSUPPORTED);
        raw("zero-bytes", new byte[4096], "image/png", 400, UNSUPPORTED);
    }

    // ---- request bodies and events ----

    private void bodies() throws IOException {
        Map<String, Object> empty = rest("", "image/jpeg", true);
        add("empty-binary-body", empty, 400, "has no body");
        add("null-body", rest(null, "application/json", false), 400, "has no body");
        json("empty-json-object", "{}", 400, "needs \"url\"");
        json("json-null", "null", 400, "must be a JSON object");
        json("json-array", "[{\"url\": \"http://example.com/a.jpg\"}]", 400, "must be a JSON object");
        json("json-string", "\"http://example.com/a.jpg\"", 400, "must be a JSON object");
        json("json-truncated", "{\"url\": \"http://exam", 400, "not valid JSON");
        json("json-trailing-garbage", "{\"image\": \"AAAA\"} <html>", 400, "not valid JSON");
        json("json-deeply-nested", "[".repeat(100_000) + "]".repeat(100_000), 400, "not valid JSON");
        json("json-huge-string", "{\"image\": \"" + "A".repeat(15_000_000) + "\"}", 400, "larger than");
        json("json-huge-number", "{\"url\": 1" + "0".repeat(5000) + "}", 400, "not valid JSON");
        json("json-url-and-image", "{\"url\": \"http://example.com/a.jpg\", \"image\": \"AAAA\"}", 400, "not both");
        json("json-url-not-a-string", "{\"url\": {\"href\": \"http://example.com\"}}", 400, "must be a non-empty string");
        json("json-image-not-a-string", "{\"image\": [1, 2, 3]}", 400, "must be a base64 string");
        json("json-image-invalid-base64", "{\"image\": \"!!!not base64!!!\"}", 400, "not valid base64");
        json("json-image-empty", "{\"image\": \"\"}", 400, "empty");
        json("json-topk-negative", "{\"image\": \"" + b64(photo()) + "\", \"topK\": -3}", 400, "topK");
        json("json-topk-not-a-number", "{\"image\": \"" + b64(photo()) + "\", \"topK\": \"all\"}", 400, "topK");
        json("json-with-bom-to-loopback", "\uFEFF{\"url\": \"http://127.0.0.1/x.jpg\"}", 422, "loopback");
        Map<String, Object> badBase64 = rest("%%%% not base64 %%%%", "image/jpeg", true);
        add("binary-body-invalid-base64", badBase64, 400, "not valid base64");
        add("binary-body-20-mb", rest(b64(new byte[20 << 20]), "image/jpeg", true), 400, "larger than");
        add("image-as-text-plain", rest(new String(photo(), StandardCharsets.ISO_8859_1), "text/plain", false), 400,
                "not valid JSON");
        Map<String, Object> direct = new LinkedHashMap<>();
        direct.put("image", b64(new byte[11 << 20]));
        add("direct-image-11-mb", direct, 400, "larger than");
        add("direct-unknown-fields", Map.of("picture", "http://example.com/a.jpg"), 400, "needs \"url\"");
        add("direct-empty-event", Map.of(), 400, "empty event");
        Map<String, Object> httpApi = new LinkedHashMap<>();
        httpApi.put("version", "2.0");
        httpApi.put("headers", Map.of("content-type", "image/jpeg"));
        httpApi.put("requestContext", Map.of("requestId", "corpus", "http", Map.of("method", "POST")));
        httpApi.put("isBase64Encoded", true);
        httpApi.put("body", "@@@");
        add("http-api-invalid-base64", httpApi, 400, "not valid base64");
        // What the base64 command writes (a line break every 76 characters), in JSON and as a binary body.
        String mime = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(photo());
        json("json-image-mime-base64", "{\"image\": \"" + mime.replace("\n", "\\n") + "\"}", 200, OK);
        add("binary-body-mime-base64", rest(mime, "image/jpeg", true), 200, OK);
        // multipart/form-data as a browser or Postman sends it.
        String boundary = "----corpus-form-boundary";
        String type = "multipart/form-data; boundary=" + boundary;
        byte[] upload = concat(concat(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; "
                + "filename=\"shirt.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"), photo()), utf8("\r\n--" + boundary + "--\r\n"));
        add("multipart-upload", rest(b64(upload), type, true), 200, OK);
        add("multipart-no-file", rest(b64(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "hi\r\n--" + boundary + "--\r\n")), type, true), 400, "the form has no image");
        add("multipart-no-boundary", rest(b64(upload), "multipart/form-data", true), 400, "no boundary");
        add("multipart-truncated", rest(b64(Arrays.copyOf(upload, upload.length / 2)), type, true), 400, "truncated");
        add("multipart-not-an-image", rest(b64(concat(utf8("--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"image\"; filename=\"a.txt\"\r\n\r\n"), utf8("hello\r\n--" + boundary + "--\r\n"))), type, true),
                400, UNSUPPORTED);
    }

    // ---- URLs: every refused address class, and URLs that are not http(s) ----

    private void urls() {
        url("url-loopback", "http://127.0.0.1/shirt.jpg", 422, "a loopback address");
        url("url-loopback-other", "http://127.255.0.9:8080/shirt.jpg", 422, "a loopback address");
        url("url-localhost-name", "http://localhost/shirt.jpg", 422, "a loopback address");
        url("url-private-10", "http://10.0.0.1/shirt.jpg", 422, "a private address");
        url("url-private-172", "http://172.16.5.4/shirt.jpg", 422, "a private address");
        url("url-private-192", "http://192.168.1.1/shirt.jpg", 422, "a private address");
        url("url-metadata-endpoint", "http://169.254.169.254/latest/meta-data/", 422, "link-local");
        url("url-cgnat", "http://100.64.0.1/shirt.jpg", 422, "carrier-grade NAT");
        url("url-unspecified", "http://0.0.0.0/shirt.jpg", 422, "unspecified");
        url("url-multicast", "http://224.0.0.1/shirt.jpg", 422, "multicast");
        url("url-broadcast", "http://255.255.255.255/shirt.jpg", 422, "reserved or broadcast");
        url("url-ipv6-loopback", "http://[::1]/shirt.jpg", 422, "loopback");
        url("url-ipv6-link-local", "http://[fe80::1]/shirt.jpg", 422, "link-local");
        url("url-ipv6-unique-local", "http://[fd00::1]/shirt.jpg", 422, "unique local");
        url("url-ipv6-multicast", "http://[ff02::1]/shirt.jpg", 422, "multicast");
        url("url-ipv4-mapped-loopback", "http://[::ffff:127.0.0.1]/shirt.jpg", 422, "loopback");
        url("url-ipv4-mapped-metadata", "http://[::ffff:169.254.169.254]/latest", 422, "link-local");
        url("url-ipv4-compatible-private", "http://[::10.0.0.1]/shirt.jpg", 422, "private");
        url("url-nat64-private", "http://[64:ff9b::a00:1]/shirt.jpg", 422, "private");
        url("url-6to4-loopback", "http://[2002:7f00:1::]/shirt.jpg", 422, "loopback");
        url("url-unicode-path-to-loopback", "http://127.0.0.1/ünïcödé/👕.jpg", 422, "loopback");
        url("url-unicode-host-to-loopback", "http://bücher.localhost/x.jpg", 422, "xn--bcher-kva.localhost");
        url("url-file-scheme", "file:///etc/passwd", 400, "only http and https");
        url("url-ftp-scheme", "ftp://example.com/shirt.jpg", 400, "only http and https");
        url("url-gopher-scheme", "gopher://127.0.0.1:6379/_INFO", 400, "only http and https");
        url("url-javascript-scheme", "javascript:alert(1)", 400, "only http and https");
        url("url-data-scheme", "data:image/png;base64,iVBORw0KGgo=", 400, "only http and https");
        url("url-with-credentials", "http://user:secret@example.com/shirt.jpg", 400, "no user info");
        url("url-crlf-injection", "http://127.0.0.1/x.jpg\r\nHost: evil.example", 400, "not a valid URL");
        url("url-no-host", "http:///shirt.jpg", 400, "needs a host");
        url("url-relative", "/shirt.jpg", 400, "only http and https");
        url("url-very-long", "http://10.0.0.1/" + "a".repeat(20_000), 422, "private");
    }

    // ---- event builders ----

    private void add(String kind, Map<String, Object> event, int status, String message) {
        if (cases.stream().anyMatch(c -> c.kind().equals(kind))) {
            throw new IllegalStateException("duplicate kind " + kind);
        }
        cases.add(new Case(kind, event, status, message));
    }

    private static Map<String, Object> rest(String body, String contentType, boolean base64) {
        return RestEvent.predict(contentType, body, base64, "corpus");
    }

    private void raw(String kind, byte[] bytes, String contentType, int status, String message) {
        add(kind, rest(b64(bytes), contentType, true), status, message);
    }

    private void json(String kind, String body, int status, String message) {
        add(kind, rest(body, "application/json", false), status, message);
    }

    private void url(String kind, String url, int status, String message) {
        add(kind, Map.of("url", url), status, message);
    }

    // ---- files ----

    private static byte[] photo() {
        try (Stream<Path> files = Files.list(Shared.dataset().resolve("test/t-shirt"))) {
            return Files.readAllBytes(files.sorted().findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = BadInputCorpus.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static BufferedImage gradient(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int alpha = type == BufferedImage.TYPE_INT_ARGB ? (x * 255 / Math.max(1, w - 1)) << 24 : 0xFF000000;
                image.setRGB(x, y, alpha | (x * 7 % 256) << 16 | (y * 5 % 256) << 8 | ((x + y) % 256));
            }
        }
        return image;
    }

    private static BufferedImage palette(int w, int h, boolean transparent) {
        byte[] r = {0, (byte) 255, 0, 0};
        byte[] g = {0, 0, (byte) 255, 0};
        byte[] b = {0, 0, 0, (byte) 255};
        IndexColorModel model = transparent ? new IndexColorModel(2, 4, r, g, b, 0) : new IndexColorModel(2, 4, r, g, b);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, model);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, (x / 10 + y / 10) % 4);
            }
        }
        return image;
    }

    private static byte[] progressiveJpeg() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(gradient(64, 48, BufferedImage.TYPE_INT_RGB), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] animatedGif() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 3; frame++) {
                BufferedImage image = gradient(32, 24, BufferedImage.TYPE_INT_RGB);
                IIOMetadata metadata = writer.getDefaultImageMetadata(
                        ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** SOI, a baseline SOF0 for 3 components at {@code width x height}, EOI: no pixel data at all. */
    private static byte[] jpegSof(int width, int height) {
        ByteBuffer jpeg = ByteBuffer.allocate(2 + 19 + 2);
        jpeg.put((byte) 0xFF).put((byte) 0xD8);
        jpeg.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8).putShort((short) height)
                .putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            jpeg.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        jpeg.put((byte) 0xFF).put((byte) 0xD9);
        return jpeg.array();
    }

    /** RIFF/WEBP with only a VP8X chunk declaring the canvas size. */
    private static byte[] webpCanvas(int width, int height) {
        ByteBuffer webp = ByteBuffer.allocate(12 + 8 + 10).order(ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + 10).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        webp.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        int w = width - 1;
        int h = height - 1;
        webp.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16));
        webp.put((byte) h).put((byte) (h >> 8)).put((byte) (h >> 16));
        return webp.array();
    }

    private static byte[] bmpHeader(int width, int height) {
        ByteBuffer bmp = ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
        bmp.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0)
                .putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return bmp.array();
    }

    private static byte[] zip() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("payload.txt"));
                zip.write(utf8("not what it seems"));
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new java.util.SplittableRandom(7).nextBytes(bytes);
        bytes[0] = 0x13; // no image signature starts with this byte
        return bytes;
    }

    private static byte[] repeat(byte b, int n) {
        byte[] bytes = new byte[n];
        Arrays.fill(bytes, b);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
