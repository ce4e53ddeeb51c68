/** Test helpers for every module: the read-only ../shared folder (dataset, ImageNet models) and images made in code. Imports no project code. */
package dev.clothes.testing;
