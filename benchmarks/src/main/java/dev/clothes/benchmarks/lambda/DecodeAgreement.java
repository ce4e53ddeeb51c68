package dev.clothes.benchmarks.lambda;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import dev.clothes.inference.bundle.ModelBundle;
import dev.clothes.inference.classify.Classifier;
import dev.clothes.inference.classify.ClassifierOptions;
import dev.clothes.inference.classify.Scores;
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
 * twice, decoded with {@link DecodeSize#FULL} and with {@link DecodeSize#REDUCED}; then the same for the
 * images enlarged 4x and saved as JPEG (quality 90), where the reduced decode really shrinks (to a quarter
 * of the dataset's 400-pixel-wide photos; as stored they are decoded fully either way). Prints top-1
 * agreement with the full decode and accuracy for each. Run by the {@code decode-agreement} benchmark.
 */
@Command(name = "decode-agreement", mixinStandardHelpOptions = true, description = "Reduced-scale against full decoding on a split: top-1 agreement and accuracy.")
public final class DecodeAgreement implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "the bundle")
    Path bundlePath;

    @Parameters(index = "1", paramLabel = "SPLIT_DIR", description = "a split folder (class/image)")
    Path split;

    @Parameters(index = "2", paramLabel = "REPORT.md", description = "where the report goes (default: printed only)", arity = "0..1", defaultValue = "")
    Path reportFile;


    private static final int ENLARGE = 4;

    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = ModelBundle.load(bundlePath);
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
                - baseline: every pixel decoded, then the bundle's resize (FULL)

                | images | decoder | top-1 agreement with baseline | accuracy | accuracy - baseline |
                |---|---|---|---|---|
                """, Instant.now(), bundlePath, bundle.manifest().runtime(), pre.width(), pre.height(), split,
                files.size(), ENLARGE));
        try (Classifier fullC = new Classifier(full, ClassifierOptions.DEFAULT);
             Classifier reducedC = new Classifier(reduced, ClassifierOptions.DEFAULT)) {
            for (boolean enlarge : new boolean[] {false, true}) {
                int n = 0;
                int[] correct = new int[2];
                int[] agree = new int[2];
                for (Path f : files) {
                    String label = f.getParent().getFileName().toString();
                    int truth = bundle.labels().indexOf(label);
                    byte[] bytes = Files.readAllBytes(f);
                    if (enlarge) {
                        bytes = enlarged(bytes);
                    }
                    int[] top = {
                        Scores.argMax(fullC.probabilities(fullC.decode(bytes))),
                        Scores.argMax(reducedC.probabilities(reducedC.decode(bytes))),
                    };
                    for (int i = 0; i < 2; i++) {
                        correct[i] += top[i] == truth ? 1 : 0;
                        agree[i] += top[i] == top[0] ? 1 : 0;
                    }
                    n++;
                }
                String[] names = {"FULL (baseline)", "REDUCED"};
                for (int i = 0; i < 2; i++) {
                    report.append(String.format(Locale.ROOT, "| %s | %s | %d / %d = %.2f %% | %.2f %% | %+.2f pp |%n",
                            enlarge ? "enlarged " + ENLARGE + "x" : "as stored", names[i], agree[i], n,
                            100.0 * agree[i] / n, 100.0 * correct[i] / n, 100.0 * (correct[i] - correct[0]) / n));
                }
            }
        }
        System.out.print(report);
        if (reportFile != null && !reportFile.toString().isEmpty()) {
            Files.writeString(reportFile, report);
        }
        return 0;
    }

    private static dev.clothes.inference.bundle.BundleManifest withDecode(ModelBundle bundle, DecodeSize decode) {
        return bundle.manifest().withPreprocessing(bundle.manifest().preprocessing().withDecode(decode));
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
