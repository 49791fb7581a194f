/** Reading declarative configuration files and merging a directory of them into one document. */
package io.ballast.cli.files;
