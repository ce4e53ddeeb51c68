package dev.clothes.inference.fetch;

import java.net.InetAddress;
import java.net.URI;

/** Decides which resolved addresses a fetch may connect to; checked for every redirect hop. */
@FunctionalInterface
public interface AddressPolicy {

    /** Any address: for a trusted local user (the CLI). */
    AddressPolicy ALLOW_ALL = (uri, address) -> { };

    /** @throws FetchException of kind {@link FetchException.Kind#REFUSED} to refuse */
    void check(URI uri, InetAddress address);
}
