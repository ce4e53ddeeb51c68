/** The {@code walkthrough} command and what its three walkthroughs share: report output, child-JVM settings, number formats. Imports {@code cli}, {@code notebooks.conversion}, {@code notebooks.deployment}, {@code notebooks.training}. */
package dev.clothes.notebooks;
