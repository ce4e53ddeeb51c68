package dev.clothes.batch.input;

import dev.clothes.inference.fetch.FetchLimits;
import dev.clothes.inference.fetch.ImageFetcher;
import dev.clothes.inference.fetch.PublicAddressPolicy;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * Reads the bytes at one location: an http(s) URL through {@link ImageFetcher} (public addresses only,
 * loopback when allowed), anything else as a Hadoop path ({@code file:}, {@code s3a:}, {@code hdfs:}; a path
 * without a scheme is on the cluster's default filesystem) with the job's Hadoop settings.
 * One per task: it holds no connections or open files between reads.
 */
public final class ImageReader {

    private final ImageFetcher fetcher;
    private final Configuration hadoop;
    private final long maxBytes;

    /**
     * @param hadoopSettings the driver's Hadoop configuration as key/value pairs (credentials and
     *                       filesystem settings, e.g. {@code spark.hadoop.fs.s3a.*})
     * @param maxBytes       bytes read from a file at most; one more than the decoder's budget is enough
     *                       for it to refuse a larger image with its own message
     */
    public ImageReader(Map<String, String> hadoopSettings, boolean allowLoopback, long maxBytes) {
        this.fetcher = new ImageFetcher(FetchLimits.DEFAULT, new PublicAddressPolicy(allowLoopback));
        this.hadoop = new Configuration(false);
        hadoopSettings.forEach(hadoop::set);
        this.maxBytes = maxBytes;
    }

    /**
     * @throws dev.clothes.inference.fetch.FetchException for a URL that is refused or fails
     * @throws IOException                                 for a path that is missing or unreadable
     */
    public byte[] read(String location) throws IOException {
        if (location == null || location.isBlank()) {
            throw new IOException("the row has no location");
        }
        String lower = location.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return fetcher.fetch(location);
        }
        Path path = new Path(location);
        try (FSDataInputStream in = path.getFileSystem(hadoop).open(path)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
    }
}
