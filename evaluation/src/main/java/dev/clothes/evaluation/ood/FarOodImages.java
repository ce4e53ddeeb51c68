package dev.clothes.evaluation.ood;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Images no clothes classifier has seen the like of: uniform and Gaussian noise, flat colours,
 * colour gradients, checkerboards and rendered text. Deterministic: the same seed draws the same
 * images, so a far-OOD figure can be measured again.
 */
public final class FarOodImages {

    public static final int SIZE = 256;
    private static final Color[] FLAT = {Color.BLACK, Color.WHITE, Color.GRAY, Color.RED, Color.GREEN, Color.BLUE,
        Color.YELLOW, Color.CYAN, Color.MAGENTA, Color.ORANGE, new Color(0x8B4513), new Color(0x2F4F4F)};
    private static final String[] TEXT = {"Invoice #4711", "Hello, world", "SALE 50 % OFF", "Lorem ipsum dolor sit",
        "2026-11-27 13:10", "E = mc^2"};

    private FarOodImages() {
    }

    /** Every image, named by kind and number. */
    public static List<Named> draw(long seed) {
        Random random = new Random(seed);
        List<Named> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(new Named("uniform-noise-" + i, noise(random, false)));
            images.add(new Named("gaussian-noise-" + i, noise(random, true)));
        }
        for (int i = 0; i < FLAT.length; i++) {
            images.add(new Named("flat-" + i, flat(FLAT[i])));
        }
        for (int i = 0; i < 6; i++) {
            images.add(new Named("gradient-" + i, gradient(random)));
            images.add(new Named("checkerboard-" + i, checkerboard(random, 8 << (i % 3))));
        }
        for (int i = 0; i < TEXT.length; i++) {
            images.add(new Named("text-" + i, text(TEXT[i], random)));
        }
        return images;
    }

    /** Writes {@link #draw} as PNG files into {@code dir} (created if missing) and returns their paths. */
    public static List<Path> write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Named image : draw(seed)) {
            Path file = dir.resolve(image.name() + ".png");
            ImageIO.write(image.image(), "png", file.toFile());
            files.add(file);
        }
        return files;
    }

    /** One drawn image and what it is. */
    public record Named(String name, BufferedImage image) {
    }

    private static BufferedImage noise(Random random, boolean gaussian) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int v = gaussian ? (int) Math.round(128 + 48 * random.nextGaussian()) : random.nextInt(256);
                    rgb = rgb << 8 | Math.max(0, Math.min(255, v));
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static BufferedImage flat(Color color) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(color);
            g.fillRect(0, 0, SIZE, SIZE);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static BufferedImage gradient(Random random) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(1 << 24)), SIZE, random.nextInt(SIZE),
                    new Color(random.nextInt(1 << 24))));
            g.fillRect(0, 0, SIZE, SIZE);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static BufferedImage checkerboard(Random random, int cell) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Color a = new Color(random.nextInt(1 << 24));
        Color b = new Color(random.nextInt(1 << 24));
        Graphics2D g = image.createGraphics();
        try {
            for (int y = 0; y < SIZE; y += cell) {
                for (int x = 0; x < SIZE; x += cell) {
                    g.setColor(((x + y) / cell) % 2 == 0 ? a : b);
                    g.fillRect(x, y, cell, cell);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static BufferedImage text(String text, Random random) {
        BufferedImage image = flat(Color.WHITE);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22 + random.nextInt(10)));
            for (int line = 0; line < 5; line++) {
                g.drawString(text, 8, 40 + line * 45);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
