package dev.clothes.lambda.local;

import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Scores;
import dev.clothes.inference.image.RgbImage;
import dev.clothes.inference.preprocess.DecodeSize;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Does decoding at a reduced scale change what the model says? Every image of a split folder is classified
 * three ways: decoded by ImageIO at full size (the decoder before libjpeg-turbo), by the decoder with
 * {@link DecodeSize#FULL} and with {@link DecodeSize#REDUCED}; then the same for the images enlarged 4x
 * and saved as JPEG (quality 90), where the reduced decode really shrinks (1/4 scale for the dataset's
 * 400-pixel-wide photos). Prints top-1 agreement with the ImageIO baseline and accuracy for each. Usage:
 * {@code ./mvnw -q -B -ntp -pl lambda-adapter -am compile exec:java
 * -Dlambda.main=dev.clothes.lambda.local.DecodeAgreement -Dexec.args="BUNDLE SPLIT_DIR [REPORT.md]"}.
 */
public final class DecodeAgreement {

    private static final int ENLARGE = 4;

    private DecodeAgreement() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DecodeAgreement BUNDLE SPLIT_DIR [REPORT.md]");
            System.exit(2);
        }
        ModelBundle bundle = ModelBundle.load(Path.of(args[0]));
        Path split = Path.of(args[1]);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(split)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        var pre = bundle.manifest().preprocessing();
        ModelBundle full = bundle.withManifest(withDecode(bundle, DecodeSize.FULL));
        ModelBundle reduced = bundle.withManifest(withDecode(bundle, DecodeSize.REDUCED));
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
                # Reduced-scale decoding against full decoding

                - date: %s
                - bundle: %s (%s, input %dx%d)
                - images: %s, %d files; "enlarged": each one scaled up %dx (bicubic) and saved as JPEG quality 90
                - baseline: ImageIO (TwelveMonkeys + the JDK's libjpeg) at full size, then the bundle's resize

                | images | decoder | top-1 agreement with baseline | accuracy | accuracy - baseline |
                |---|---|---|---|---|
                """, Instant.now(), args[0], bundle.manifest().runtime(), pre.width(), pre.height(), split,
                files.size(), ENLARGE));
        int identical = 0;
        int maxDiff = 0;
        try (Classifier fullC = new Classifier(full, ClassifierOptions.DEFAULT);
             Classifier reducedC = new Classifier(reduced, ClassifierOptions.DEFAULT)) {
            for (boolean enlarge : new boolean[] {false, true}) {
                int n = 0;
                int[] correct = new int[3];
                int[] agree = new int[3];
                for (Path f : files) {
                    String label = f.getParent().getFileName().toString();
                    int truth = bundle.labels().indexOf(label);
                    byte[] bytes = Files.readAllBytes(f);
                    if (enlarge) {
                        bytes = enlarged(bytes);
                    }
                    RgbImage baseline = imageIo(bytes);
                    RgbImage turbo = fullC.decode(bytes);
                    if (!enlarge) {
                        int diff = maxDifference(baseline, turbo);
                        identical += diff == 0 ? 1 : 0;
                        maxDiff = Math.max(maxDiff, diff);
                    }
                    int[] top = {
                        Scores.argMax(fullC.probabilities(baseline)),
                        Scores.argMax(fullC.probabilities(turbo)),
                        Scores.argMax(reducedC.probabilities(reducedC.decode(bytes))),
                    };
                    for (int i = 0; i < 3; i++) {
                        correct[i] += top[i] == truth ? 1 : 0;
                        agree[i] += top[i] == top[0] ? 1 : 0;
                    }
                    n++;
                }
                String[] names = {"ImageIO, full size (baseline)", "libjpeg-turbo, FULL", "libjpeg-turbo, REDUCED"};
                for (int i = 0; i < 3; i++) {
                    report.append(String.format(Locale.ROOT, "| %s | %s | %d / %d = %.2f %% | %.2f %% | %+.2f pp |%n",
                            enlarge ? "enlarged " + ENLARGE + "x" : "as stored", names[i], agree[i], n,
                            100.0 * agree[i] / n, 100.0 * correct[i] / n, 100.0 * (correct[i] - correct[0]) / n));
                }
            }
        }
        report.append(String.format(Locale.ROOT, "%nAs stored, libjpeg-turbo's pixels equal ImageIO's in %d of %d images "
                + "(largest difference of one channel value: %d).%n", identical, files.size(), maxDiff));
        System.out.print(report);
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), report);
        }
    }

    private static dev.clothes.inference.bundle.BundleManifest withDecode(ModelBundle bundle, DecodeSize decode) {
        var m = bundle.manifest();
        return new dev.clothes.inference.bundle.BundleManifest(m.formatVersion(), m.name(), m.version(), m.runtime(),
                m.modelFile(), m.labelsFile(), m.metricsFile(), m.input(), m.output(),
                m.preprocessing().withDecode(decode), m.postprocessing(), m.provenance());
    }

    private static int maxDifference(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            return 255;
        }
        int max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF)));
        }
        return max;
    }

    /** What the decoder did before libjpeg-turbo: ImageIO with the TwelveMonkeys plugins, every pixel. */
    private static RgbImage imageIo(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, rgb);
    }

    private static byte[] enlarged(byte[] jpeg) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage big = new BufferedImage(src.getWidth() * ENLARGE, src.getHeight() * ENLARGE,
                BufferedImage.TYPE_3BYTE_BGR);
        var g = big.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(src, 0, 0, big.getWidth(), big.getHeight(), null);
        } finally {
            g.dispose();
        }
        return jpeg(big, 0.9f);
    }

    /** A JPEG at the given quality, as the benchmark photo is made. */
    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
