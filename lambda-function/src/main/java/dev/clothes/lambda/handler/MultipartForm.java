package dev.clothes.lambda.handler;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (an HTML form or Postman upload) read for what the function needs:
 * the uploaded file (the first part with a file name, or the field {@code image} or {@code file}), or a
 * {@code url} field, and an optional {@code topK} field. Other fields are ignored.
 */
record MultipartForm(byte[] image, String url, String topK) {

    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename\\*?=");

    /** @param contentType the request's Content-Type, with its boundary parameter */
    static MultipartForm parse(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new RequestException("the multipart/form-data request has no boundary in its Content-Type");
        }
        byte[] delimiter = ("--" + (m.group(2) != null ? m.group(2) : m.group(3))).getBytes(StandardCharsets.ISO_8859_1);
        byte[] image = null;
        String url = null;
        String topK = null;
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new RequestException("the multipart/form-data body does not contain its boundary");
        }
        while (true) {
            int partStart = at + delimiter.length;
            if (partStart + 2 <= body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                break; // the closing delimiter
            }
            int next = indexOf(body, delimiter, partStart);
            if (next < 0) {
                throw new RequestException("the multipart/form-data body is truncated (no closing boundary)");
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), partStart);
            if (headersEnd < 0 || headersEnd > next) {
                throw new RequestException("a part of the multipart/form-data body has no header block");
            }
            String headers = new String(body, partStart, headersEnd - partStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int contentEnd = Math.max(contentStart, next - 2); // the CRLF before the delimiter belongs to it
            String disposition = headerLine(headers, "content-disposition");
            Matcher name = NAME.matcher(disposition);
            String field = name.find() ? name.group(1) : "";
            boolean file = FILENAME.matcher(disposition).find();
            if (image == null && (file || field.equals("image") || field.equals("file"))) {
                image = Arrays.copyOfRange(body, contentStart, contentEnd);
            } else if (field.equals("url")) {
                url = new String(body, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8).strip();
            } else if (field.equals("topK")) {
                topK = new String(body, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8);
            }
            at = next;
        }
        return new MultipartForm(image, url, topK);
    }

    PredictRequest toRequest(PredictRequest.Source source) {
        if (image != null && url != null) {
            throw new RequestException("send either a file or a \"url\" field, not both");
        }
        if (image == null && url == null) {
            throw new RequestException("the form has no image: upload a file (field \"image\") or send a \"url\" field");
        }
        if (url != null && url.isEmpty()) {
            throw new RequestException("\"url\" must be a non-empty string");
        }
        int k = topK == null ? EventParser.DEFAULT_TOP_K : EventParser.boundedTopK(topK);
        return new PredictRequest(source, url != null ? PredictRequest.Input.URL : PredictRequest.Input.MULTIPART, url, image,
                k);
    }

    private static String headerLine(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1);
            }
        }
        return "";
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
