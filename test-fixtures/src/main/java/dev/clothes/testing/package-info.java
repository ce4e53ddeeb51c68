/** Test helpers for every module: the read-only ../shared folder (dataset, ImageNet models) and images made in code. Imports nothing of the project. */
package dev.clothes.testing;
