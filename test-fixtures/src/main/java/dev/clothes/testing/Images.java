package dev.clothes.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Images the tests make themselves. */
public final class Images {

    private Images() {
    }

    public static BufferedImage halves(int width, int height, int leftRgb, int rightRgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, x < width / 2 ? leftRgb : rightRgb);
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid PNG signature and IHDR chunk declaring {@code width x height}, with no pixel data. */
    public static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    /** A GIF89a header with a logical screen and one image descriptor of {@code width x height}. */
    public static byte[] gifHeader(int width, int height) {
        ByteBuffer gif = ByteBuffer.allocate(6 + 7 + 10 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a".getBytes()).putShort((short) width).putShort((short) height).put((byte) 0).put((byte) 0)
                .put((byte) 0);
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width)
                .putShort((short) height).put((byte) 0);
        gif.put((byte) 2).put((byte) 1).put((byte) 0).put((byte) 0x3B);
        return gif.array();
    }

    /**
     * A CMYK JPEG as Photoshop writes it: an APP14 "Adobe" marker (transform 0 = CMYK) and inverted ink
     * values. Left half no ink (white), right half full cyan.
     */
    public static byte[] adobeCmykJpeg(int width, int height) {
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                cmyk.setPixel(x, y, x < width / 2 ? new int[] {255, 255, 255, 255} : new int[] {0, 255, 255, 255});
            }
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] plain = bytes.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] jpeg = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, jpeg, 0, 2);
        System.arraycopy(adobe, 0, jpeg, 2, adobe.length);
        System.arraycopy(plain, 2, jpeg, 2 + adobe.length, plain.length - 2);
        return jpeg;
    }

    /** Inserts an EXIF APP1 segment with the given orientation after the JPEG's APP0 (JFIF) segment. */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        // TIFF, big-endian: header, IFD with one SHORT entry (0x0112 = orientation), no next IFD.
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0);
        byte[] exif = ByteBuffer.allocate(6 + tiff.capacity()).put("Exif\0\0".getBytes()).put(tiff.array()).array();
        int insertAt = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            insertAt = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + exif.length);
        out.put(jpeg, 0, insertAt).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (exif.length + 2)).put(exif)
                .put(jpeg, insertAt, jpeg.length - insertAt);
        return out.array();
    }
}
