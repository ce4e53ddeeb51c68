package dev.clothes.evaluation.dataset;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A dataset laid out as {@code <root>/<split>/<class>/<image>} (the clothing-dataset-small layout:
 * train, validation, test). Classes are sorted by name; files are sorted so runs are reproducible.
 */
public final class ImageFolderDataset {

    public static final List<String> SPLITS = List.of("train", "validation", "test");
    /** Environment variable naming the dataset folder when {@code --data} is not given. */
    public static final String ENV = "CLOTHES_DATA";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp");

    private final Path root;
    private final List<String> classes;
    private final Map<String, List<LabeledImage>> splits;

    private ImageFolderDataset(Path root, List<String> classes, Map<String, List<LabeledImage>> splits) {
        this.root = root;
        this.classes = List.copyOf(classes);
        this.splits = splits;
    }

    /** {@code --data}, else {@value #ENV}, else {@code data/clothing-dataset-small}. */
    public static Path resolveRoot(Path option) {
        if (option != null) {
            return option;
        }
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("data", "clothing-dataset-small");
    }

    /** Opens and checks a dataset; every problem is a {@link DatasetException} saying what to fix. */
    public static ImageFolderDataset open(Path root, List<String> requiredSplits) {
        if (!Files.isDirectory(root)) {
            throw new DatasetException("no dataset at " + root.toAbsolutePath() + ": pass --data DIR, set "
                    + ENV + ", or run data/fetch-dataset.sh");
        }
        Map<String, Set<String>> classesBySplit = new LinkedHashMap<>();
        for (String split : requiredSplits) {
            Path dir = root.resolve(split);
            if (!Files.isDirectory(dir)) {
                throw new DatasetException("the dataset at " + root + " has no '" + split + "' folder (expected "
                        + String.join(", ", requiredSplits) + ", each with one folder per class)");
            }
            classesBySplit.put(split, subdirectories(dir));
        }
        Set<String> all = new TreeSet<>();
        classesBySplit.values().forEach(all::addAll);
        if (all.isEmpty()) {
            throw new DatasetException("the dataset at " + root + " has no class folders");
        }
        for (Map.Entry<String, Set<String>> e : classesBySplit.entrySet()) {
            Set<String> missing = new TreeSet<>(all);
            missing.removeAll(e.getValue());
            if (!missing.isEmpty()) {
                throw new DatasetException("class(es) " + missing + " are missing from the '" + e.getKey()
                        + "' split; every split needs the same classes");
            }
        }
        List<String> classes = new ArrayList<>(all);
        Map<String, List<LabeledImage>> splits = new LinkedHashMap<>();
        for (String split : requiredSplits) {
            List<LabeledImage> images = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                List<Path> files = imageFiles(root.resolve(split).resolve(classes.get(c)));
                if (files.isEmpty()) {
                    throw new DatasetException("class '" + classes.get(c) + "' has no images in the '" + split
                            + "' split");
                }
                for (Path f : files) {
                    images.add(new LabeledImage(f, c));
                }
            }
            splits.put(split, List.copyOf(images));
        }
        return new ImageFolderDataset(root, classes, splits);
    }

    public Path root() {
        return root;
    }

    public List<String> classes() {
        return classes;
    }

    public List<LabeledImage> split(String name) {
        List<LabeledImage> images = splits.get(name);
        if (images == null) {
            throw new DatasetException("split '" + name + "' was not loaded");
        }
        return images;
    }

    /** Images per class in a split. */
    public int[] counts(String split) {
        int[] counts = new int[classes.size()];
        for (LabeledImage image : split(split)) {
            counts[image.label()]++;
        }
        return counts;
    }

    /** The per-class, per-split table (as in the reference notebook). */
    public void printSummary(PrintStream out) {
        out.printf(Locale.ROOT, "dataset %s%n", root);
        out.printf(Locale.ROOT, "  %-12s", "class");
        splits.keySet().forEach(s -> out.printf(Locale.ROOT, "%12s", s));
        out.println();
        for (int c = 0; c < classes.size(); c++) {
            out.printf(Locale.ROOT, "  %-12s", classes.get(c));
            for (String s : splits.keySet()) {
                out.printf(Locale.ROOT, "%12d", counts(s)[c]);
            }
            out.println();
        }
        out.printf(Locale.ROOT, "  %-12s", "total");
        splits.keySet().forEach(s -> out.printf(Locale.ROOT, "%12d", split(s).size()));
        out.println();
    }

    private static Set<String> subdirectories(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every image file in {@code dir} and its subfolders, sorted: an unlabelled folder, such as
     * images of none of the classes.
     */
    public static List<Path> imagesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + " is not a folder of images");
        }
        try (Stream<Path> entries = Files.walk(dir)) {
            return images(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return images(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> images(Stream<Path> entries) {
        return entries.filter(Files::isRegularFile)
                .filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    int dot = n.lastIndexOf('.');
                    return !n.startsWith(".") && dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
                })
                .sorted()
                .toList();
    }
}
