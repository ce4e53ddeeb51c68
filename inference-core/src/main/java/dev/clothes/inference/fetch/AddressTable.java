package dev.clothes.inference.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The IANA special-purpose address blocks (and the multicast and reserved IPv6 space), one row each,
 * read from {@code special-purpose-addresses.tsv} beside this class: the data says where each row comes
 * from and what its columns mean. The most specific block containing an address decides about it.
 */
final class AddressTable {

    /** The registry's Globally Reachable column. */
    enum Reachable {
        TRUE, FALSE,
        /** The registry's N/A (6to4, Teredo): the IPv4 address inside decides. */
        NOT_APPLICABLE,
        /** A terminated row, left without a Globally Reachable value: refused. */
        DEPRECATED;

        static Reachable parse(String text) {
            return switch (text) {
                case "True" -> TRUE;
                case "False" -> FALSE;
                case "N/A" -> NOT_APPLICABLE;
                case "deprecated" -> DEPRECATED;
                default -> throw new IllegalArgumentException("reachable must be True, False, N/A or deprecated, got '"
                        + text + "'");
            };
        }
    }

    /** One row: an address block with the registry's name, RFC and verdict, and the words for a refusal. */
    record Block(byte[] network, int prefixLength, String cidr, String registry, String name, String rfc,
                 Reachable reachable, String why) {

        Block {
            network = network.clone();
            if (prefixLength < 0 || prefixLength > network.length * 8) {
                throw new IllegalArgumentException(cidr + ": prefix length out of range");
            }
            byte[] masked = mask(network, prefixLength, false);
            if (!Arrays.equals(masked, network)) {
                throw new IllegalArgumentException(cidr + " has bits set past its prefix length");
            }
        }

        boolean contains(byte[] address) {
            return address.length == network.length && Arrays.equals(mask(address, prefixLength, false), network);
        }

        /** The block's first address (its network address). */
        byte[] first() {
            return network.clone();
        }

        /** The block's last address (every host bit set). */
        byte[] last() {
            return mask(network, prefixLength, true);
        }

        boolean refused() {
            return reachable == Reachable.FALSE || reachable == Reachable.DEPRECATED;
        }

        /** {@code 10.0.0.0/8 Private-Use, RFC 1918}: what a refusal message cites. */
        String citation() {
            return cidr + " " + name + ", " + rfc;
        }

        @Override
        public String toString() {
            return cidr + " (" + name + ")";
        }
    }

    private static final String RESOURCE = "special-purpose-addresses.tsv";

    /** The table shipped with this class. */
    static final AddressTable IANA = load();

    private final List<Block> blocks;
    /** Most specific first, so the first block that contains an address is the one that decides. */
    private final List<Block> byPrefixLength;

    AddressTable(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        this.byPrefixLength = blocks.stream()
                .sorted(Comparator.comparingInt(Block::prefixLength).reversed()).toList();
    }

    /** Every row, in the file's order. */
    List<Block> blocks() {
        return blocks;
    }

    /** The most specific block containing {@code address} (4 or 16 bytes), if any. */
    Optional<Block> mostSpecific(byte[] address) {
        for (Block block : byPrefixLength) {
            if (block.contains(address)) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    private static AddressTable load() {
        try (InputStream in = AddressTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + AddressTable.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of tab-separated {@code block registry name rfc reachable why}; {@code #} lines are comments. */
    static AddressTable parse(String text) {
        List<Block> blocks = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != 6) {
                    throw new IllegalArgumentException(RESOURCE + " line " + number + ": 6 tab-separated cells "
                            + "expected, got " + cells.length + ": " + line);
                }
                try {
                    blocks.add(block(cells));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(RESOURCE + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AddressTable(blocks);
    }

    private static Block block(String[] cells) {
        String cidr = cells[0];
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not address/prefix-length");
        }
        byte[] network = literal(cidr.substring(0, slash));
        Reachable reachable = Reachable.parse(cells[4]);
        if ((reachable == Reachable.FALSE || reachable == Reachable.DEPRECATED) == cells[5].isBlank()) {
            throw new IllegalArgumentException(cidr + ": a refused row needs the words for its refusal, an "
                    + "allowed one none");
        }
        return new Block(network, Integer.parseInt(cidr.substring(slash + 1)), cidr, cells[1], cells[2], cells[3],
                reachable, cells[5]);
    }

    /** An IP literal's bytes: 4 for IPv4, 16 for IPv6 (the JDK turns {@code ::ffff:a.b.c.d} into IPv4; undone). */
    static byte[] literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address literal");
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (text.contains(":") && bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address literal", e);
        }
    }

    /** {@code address} with the bits past {@code prefixLength} cleared, or set when {@code ones}. */
    private static byte[] mask(byte[] address, int prefixLength, boolean ones) {
        byte[] out = address.clone();
        for (int bit = prefixLength; bit < out.length * 8; bit++) {
            int i = bit / 8;
            int b = 0x80 >>> (bit % 8);
            out[i] = (byte) (ones ? out[i] | b : out[i] & ~b);
        }
        return out;
    }

    /** For messages: {@code 10.0.0.1}, or the IPv6 text the JDK prints. */
    static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes, got " + address.length, e);
        }
    }
}
