package dev.clothes.benchmarks.machine;

import java.lang.management.ManagementFactory;

/** The machine's load average, recorded beside every figure: the machines these run on are shared. */
public final class Load {

    private Load() {
    }

    /** The 1-minute load average, or -1 where the platform does not give it. */
    public static double oneMinute() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
