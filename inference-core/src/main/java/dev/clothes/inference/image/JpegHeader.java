package dev.clothes.inference.image;

/**
 * What a JPEG's frame header declares (size, components, coding) and whether it carries an ICC profile, read
 * from the segment headers before the scan data: enough to tell whether libjpeg-turbo may decode it.
 */
record JpegHeader(int sofMarker, int precision, int width, int height, int components, boolean iccProfile) {

    private static final int SOI = 0xD8;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP2 = 0xE2;

    /** The header of a JPEG, or null when the bytes are not one or its frame header cannot be read. */
    static JpegHeader read(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != SOI) {
            return null;
        }
        int sof = -1;
        int precision = 0;
        int width = 0;
        int height = 0;
        int components = 0;
        boolean icc = false;
        int at = 2;
        while (at + 4 <= b.length) {
            if ((b[at] & 0xFF) != 0xFF) {
                return null; // garbage between segments: let ImageIO judge the file
            }
            int marker = b[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == SOI || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                at += 2; // markers without a length
                continue;
            }
            if (marker == SOS || marker == EOI) {
                break;
            }
            int length = (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
            int data = at + 4;
            int end = at + 2 + length;
            if (length < 2 || end > b.length) {
                return null;
            }
            if (isFrame(marker) && length >= 8) {
                sof = marker;
                precision = b[data] & 0xFF;
                height = (b[data + 1] & 0xFF) << 8 | b[data + 2] & 0xFF;
                width = (b[data + 3] & 0xFF) << 8 | b[data + 4] & 0xFF;
                components = b[data + 5] & 0xFF;
            } else if (marker == APP2 && startsWith(b, data, end, "ICC_PROFILE\0")) {
                icc = true;
            }
            at = end;
        }
        return sof < 0 ? null : new JpegHeader(sof, precision, width, height, components, icc);
    }

    /**
     * Whether libjpeg-turbo decodes it as ImageIO would, only faster and at a DCT scale: Huffman-coded 8-bit
     * grey or YCbCr without an ICC profile. CMYK/YCCK, 12-bit, arithmetic coding and colour-managed files keep
     * the ImageIO path and its colour handling.
     */
    boolean plain() {
        return (sofMarker == 0xC0 || sofMarker == 0xC1 || sofMarker == 0xC2) && precision == 8
                && (components == 1 || components == 3) && !iccProfile && width > 0 && height > 0;
    }

    /** SOF0..SOF15 without DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int at, int end, String prefix) {
        if (end - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
