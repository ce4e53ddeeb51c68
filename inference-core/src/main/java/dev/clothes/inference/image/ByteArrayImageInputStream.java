package dev.clothes.inference.image;

import java.io.IOException;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The image bytes as an ImageIO stream, with a guard: a decoder that keeps reading past the end is
 * stopped. TwelveMonkeys' WebP lossless reader pads a truncated bit stream with zeros forever (found by
 * fuzzing: a 97-byte file kept a core busy indefinitely); here it gets an error after a bounded number
 * of reads past the end instead.
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {

    /** Far more than any decoder needs to notice the end, far less than an endless loop. */
    static final int MAX_READS_PAST_END = 4096;

    private final byte[] data;
    private int readsPastEnd;

    ByteArrayImageInputStream(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= data.length) {
            pastEnd();
            return -1;
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            pastEnd();
            return -1;
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }

    private void pastEnd() throws IIOException {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new IIOException("the decoder kept reading past the end of the data (" + data.length + " bytes)");
        }
    }
}
