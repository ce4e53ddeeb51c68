package dev.clothes.inference.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution for {@link ImageFetcher}; a seam so tests can point names at loopback servers. */
@FunctionalInterface
public interface HostResolver {

    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
