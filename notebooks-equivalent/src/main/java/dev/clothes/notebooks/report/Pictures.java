package dev.clothes.notebooks.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Picture grids for reports: decoded images as captioned thumbnails (plots come from XChart). */
public final class Pictures {

    /** One cell: an image and up to a few caption lines under it. */
    public record Tile(BufferedImage image, List<String> caption) {
    }

    private static final int PAD = 6;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Pictures() {
    }

    /** Tiles in rows of {@code columns}, each image scaled to fit a {@code size}-pixel square. */
    public static BufferedImage grid(List<Tile> tiles, int columns, int size) {
        int captionLines = tiles.stream().mapToInt(t -> t.caption().size()).max().orElse(0);
        int lineHeight = 15;
        int cellW = size + 2 * PAD;
        int cellH = size + 2 * PAD + captionLines * lineHeight;
        int rows = (tiles.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * cellW, Math.max(1, rows) * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setFont(FONT);
            FontMetrics metrics = g.getFontMetrics();
            for (int i = 0; i < tiles.size(); i++) {
                Tile tile = tiles.get(i);
                int x0 = (i % columns) * cellW + PAD;
                int y0 = (i / columns) * cellH + PAD;
                BufferedImage image = tile.image();
                double scale = Math.min((double) size / image.getWidth(), (double) size / image.getHeight());
                int w = (int) Math.round(image.getWidth() * scale);
                int h = (int) Math.round(image.getHeight() * scale);
                g.drawImage(image, x0 + (size - w) / 2, y0 + (size - h) / 2, w, h, null);
                g.setColor(Color.DARK_GRAY);
                for (int line = 0; line < tile.caption().size(); line++) {
                    String text = fit(tile.caption().get(line), metrics, size);
                    g.drawString(text, x0 + (size - metrics.stringWidth(text)) / 2,
                            y0 + size + (line + 1) * lineHeight - 2);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        String fitted = text;
        while (fitted.length() > 1 && metrics.stringWidth(fitted) > width) {
            fitted = fitted.substring(0, fitted.length() - 2) + "…";
        }
        return fitted;
    }

    /** JPEG for photo grids: a fraction of the PNG's size, and the photos were JPEGs to begin with. */
    public static byte[] jpeg(BufferedImage image) {
        try {
            javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
